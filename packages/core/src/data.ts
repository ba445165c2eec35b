import type { WSSendData } from './types.ts'

/**
 * Returns `data` ready for a runtime socket: strings as they are, any binary as a `Uint8Array` over exactly its bytes.
 * Throws a `TypeError` for anything else.
 */
export function toSendable(data: WSSendData): string | Uint8Array {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  // The message is built in a function of its own: with it inline, Bun's JIT stopped inlining this function into
  // `ws.send`, which cost Bun echo about 10 ns per message (bench/README.md, "The message path").
  throw notSendable(data)
}

function notSendable(data: unknown): TypeError {
  const kind =
    data === null ? 'null' : typeof data === 'object' ? (data as object).constructor?.name : typeof data
  return new TypeError(
    `ws.send() takes a string, an ArrayBuffer or an ArrayBufferView (Uint8Array, Buffer, DataView), got ${kind}. ` +
      'Serialize objects first (JSON.stringify) and read a Blob with await blob.arrayBuffer().'
  )
}

/**
 * Returns an `ArrayBuffer` holding exactly the bytes of `data`. A view that covers its whole buffer is passed through;
 * a view into a larger buffer (Node `ws` hands out slices of a shared receive buffer) is copied once. `transient`:
 * the runtime reuses or detaches the memory after its callback (uWebSockets.js), so it is always copied.
 */
export function toExactArrayBuffer(data: ArrayBuffer | ArrayBufferView, transient = false): ArrayBuffer {
  if (data instanceof ArrayBuffer) return transient ? data.slice(0) : data
  const { buffer, byteOffset, byteLength } = data
  if (!transient && byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer)
    return buffer
  const copy = new ArrayBuffer(byteLength)
  new Uint8Array(copy).set(new Uint8Array(buffer, byteOffset, byteLength))
  return copy
}
