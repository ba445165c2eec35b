import * as wsModule from 'ws'
import type { NodeWebSocketLike } from './websocket-like.ts'

// A publish to many sockets is framed once: `ws` would build the frame header and write it beside the payload (two
// writes under a cork) for every subscriber; here each subscriber gets one write of the same buffer. Measured with
// 500 subscribers (bench/README.md, "Node fan-out").

/** `ws`'s frame encoder (exported by `ws` as `Sender`, not in its types). */
const { frame: frameOf } = (
  wsModule as unknown as {
    Sender: {
      frame(
        data: Buffer,
        options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }
      ): Buffer[]
    }
  }
).Sender

/** The parts of `ws`'s socket and sender the direct write reads (private to `ws`; checked before every use). */
interface SenderState {
  _sender?: { _state?: unknown; _firstFragment?: unknown }
  _socket?: { write(chunk: Buffer): boolean }
}

/**
 * Encodes a whole message as one unmasked, uncompressed frame (RFC 6455 §5.2): text for a string, binary for bytes.
 * @returns one buffer, header and payload, that may be written to any number of sockets.
 */
export function publishFrame(data: string | Uint8Array): Buffer {
  const text = typeof data === 'string'
  const bytes = text ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const options = { fin: true, opcode: text ? 1 : 2, mask: false, readOnly: true, rsv1: false }
  const parts = frameOf(bytes, options)
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
}

/**
 * Writes a `publishFrame()` result to the socket under `raw` when `ws` would write a frame there now itself: the
 * socket is open and `ws`'s sender is idle (state 0: nothing compressing or queued, so the order of messages holds)
 * between messages. Otherwise returns false and writes nothing (the caller sends through `ws`). What the socket
 * buffers is still counted by `raw.bufferedAmount`, which reads the socket's buffer.
 */
export function writeFrame(raw: NodeWebSocketLike, frame: Buffer): boolean {
  const { _sender: sender, _socket: socket } = raw as NodeWebSocketLike & SenderState
  if (raw.readyState !== 1 || sender?._state !== 0 || sender._firstFragment !== true || !socket) return false
  socket.write(frame)
  return true
}
