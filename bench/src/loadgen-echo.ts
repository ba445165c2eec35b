// Echo mode of the load generator: N connections to each server, each keeping W messages in flight during the server's
// turn, refilled in one write as echoes come back; round-trip percentiles when latency is recorded.
import { type BunSocket, fail, maskedTextFrame, open, send } from './loadgen-client.ts'
import type { LoadgenOptions, LoadgenResult, LoadgenServer } from './loadgen-types.ts'
import { type Load, loadInSlices } from './loadgen-window.ts'

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
}

interface EchoLoad extends Load {
  close(): void
  percentiles(): Pick<LoadgenResult, 'p50Micros' | 'p99Micros'>
}

/** Opens the echo connections to one server; nothing is sent before the load starts. */
async function openEcho(o: LoadgenOptions, server: LoadgenServer, payload: Buffer): Promise<EchoLoad> {
  const frame = maskedTextFrame(payload)
  const burst = new Uint8Array(frame.length * o.window)
  for (let i = 0; i < o.window; i++) burst.set(frame, i * frame.length)
  let sent = 0
  let received = 0
  let active = false
  // Latency: one timestamp per message in flight, in send order (echoes come back in order on a connection).
  const cap = o.latency ? 4_000_000 : 0
  const rtt = new Float64Array(cap)
  let samples = 0
  let recording = false

  const conns: { socket: BunSocket; sentAt: number[] }[] = []
  const fill = (c: { socket: BunSocket; sentAt: number[] }, n: number) => {
    if (o.latency) for (let i = 0; i < n; i++) c.sentAt.push(Bun.nanoseconds())
    sent += n
    // A batch of frames in one write, not one write per echo.
    for (let left = n; left > 0; left -= o.window) {
      const k = Math.min(left, o.window)
      send(c.socket, k === o.window ? burst : burst.subarray(0, k * frame.length))
    }
  }
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      const c = { socket: undefined as unknown as BunSocket, sentAt: [] as number[] }
      c.socket = await open(server.port, '/ws', payload, (n) => {
        received += n
        if (o.latency) {
          const now = Bun.nanoseconds()
          for (let i = 0; i < n; i++) {
            const t = c.sentAt.shift()!
            if (recording && samples < cap) rtt[samples++] = now - t
          }
        }
        if (active) fill(c, n)
      })
      conns.push(c)
    })
  )
  return {
    pid: server.pid,
    received: () => received,
    start() {
      active = true
      for (const c of conns) fill(c, o.window)
    },
    stop() {
      active = false
    },
    inFlight() {
      if (received > sent)
        fail(new Error(`port ${server.port} sent ${received - sent} more echoes than messages`))
      return received < sent ? `${sent - received} echoes from port ${server.port} still missing` : undefined
    },
    measuring(on) {
      recording = on
    },
    close() {
      for (const c of conns) c.socket.end()
    },
    percentiles() {
      if (!samples) return {}
      const sorted = rtt.subarray(0, samples).sort()
      return { p50Micros: percentile(sorted, 50) / 1000, p99Micros: percentile(sorted, 99) / 1000 }
    },
  }
}

/** Runs the echo load against each server in turn and measures it; one result per server. */
export async function echo(o: LoadgenOptions, servers: LoadgenServer[]): Promise<LoadgenResult[]> {
  const payload = Buffer.alloc(o.payloadBytes, 'x')
  const measured = await loadInSlices(servers, (server) => openEcho(o, server, payload), o)
  return measured.map(({ load, result, server }) => {
    if (result.messages === 0)
      fail(new Error(`no echo came back from port ${server.port} during the measurement`))
    return { ...result, ...load.percentiles() }
  })
}
