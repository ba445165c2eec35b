// Echo mode of the load generator: N connections, each keeping W messages in flight, refilled in one write as echoes
// come back; round-trip percentiles when latency is recorded.
import { type BunSocket, fail, maskedTextFrame, open, send } from './loadgen-client.ts'
import type { LoadgenOptions, LoadgenResult } from './loadgen-types.ts'
import { window } from './loadgen-window.ts'

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
}

/** Runs the echo load against `o.port` and measures it. */
export async function echo(o: LoadgenOptions): Promise<LoadgenResult> {
  const payload = Buffer.alloc(o.payloadBytes, 'x')
  const frame = maskedTextFrame(payload)
  const burst = new Uint8Array(frame.length * o.window)
  for (let i = 0; i < o.window; i++) burst.set(frame, i * frame.length)
  let received = 0
  // Latency: one timestamp per message in flight, in send order (echoes come back in order on a connection).
  const cap = o.latency ? 4_000_000 : 0
  const rtt = new Float64Array(cap)
  let samples = 0
  const sentAt: number[] = []
  let recording = false

  const sockets = await Promise.all(
    Array.from({ length: o.connections }, () => {
      let s: BunSocket
      const p = open(o.port, '/ws', payload, (n) => {
        received += n
        if (o.latency) {
          const now = Bun.nanoseconds()
          for (let i = 0; i < n; i++) {
            const t = sentAt.shift()!
            if (recording && samples < cap) rtt[samples++] = now - t
          }
          for (let i = 0; i < n; i++) sentAt.push(Bun.nanoseconds())
        }
        // Refill what came back in one write: a batch of frames, not one write per echo.
        let left = n
        while (left > 0) {
          const k = Math.min(left, o.window)
          send(s, k === o.window ? burst : burst.subarray(0, k * frame.length))
          left -= k
        }
      })
      return p.then((sock) => {
        s = sock
        return sock
      })
    })
  )
  for (const s of sockets) {
    if (o.latency) for (let i = 0; i < o.window; i++) sentAt.push(Bun.nanoseconds())
    send(s, burst)
  }
  setTimeout(() => {
    recording = true
  }, o.warmupMs)
  const r = await window(o, () => received)
  recording = false
  for (const s of sockets) s.end()
  const out: LoadgenResult = { ...r }
  if (o.latency && samples) {
    const sorted = rtt.subarray(0, samples).sort()
    out.p50Micros = percentile(sorted, 50) / 1000
    out.p99Micros = percentile(sorted, 99) / 1000
  }
  if (messages(out) === 0) fail(new Error('no echo came back during the measurement'))
  return out
}

const messages = (r: { messages: number }) => r.messages
