// Echo load generator, run in its own process (pinned to its own core by the runner): `connections` sockets each keep
// `window` text messages in flight; prints one JSON line with the echoes per second counted after a warm-up.
import { frameReader, handshake, textFrame } from './frames.ts'

export interface LoadOptions {
  port: number
  connections: number
  window: number
  payloadBytes: number
  warmupMs: number
  measureMs: number
}

export interface LoadResult {
  messagesPerSecond: number
  messages: number
  seconds: number
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const payload = Buffer.alloc(o.payloadBytes, 'x')
  const frame = textFrame(payload)
  const burst = Buffer.concat(Array.from({ length: o.window }, () => frame))
  let received = 0
  let failure: Error | undefined
  const sockets = await Promise.all(
    Array.from({ length: o.connections }, async () => {
      const { socket, rest } = await handshake(o.port)
      const read = frameReader((opcode, data) => {
        if (opcode !== 0x1) return // a ping or a close is not an echo
        if (!data.equals(payload)) failure ??= new Error(`the server echoed ${data.length} other bytes`)
        received++
      })
      let pending = 0
      const onData = (chunk: Buffer) => {
        const before = received
        read(chunk)
        pending += received - before
        // Refill the window in one write per chunk read, not one per echo.
        while (pending > 0) {
          const n = Math.min(pending, o.window)
          socket.write(n === o.window ? burst : burst.subarray(0, n * frame.length))
          pending -= n
        }
      }
      socket.on('data', onData)
      socket.on('error', (e) => {
        failure ??= e
      })
      if (rest.length > 0) onData(rest)
      socket.write(burst)
      return socket
    })
  )
  await new Promise((r) => setTimeout(r, o.warmupMs))
  const start = received
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, o.measureMs))
  const messages = received - start
  const seconds = (performance.now() - t0) / 1000
  for (const s of sockets) s.destroy()
  if (failure) throw failure
  if (messages === 0) throw new Error('no echo came back during the measurement')
  return { messagesPerSecond: messages / seconds, messages, seconds }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = JSON.parse(process.argv[2]!) as LoadOptions
  runLoad(o).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e instanceof Error ? e.message : e)
      process.exit(1)
    }
  )
}
