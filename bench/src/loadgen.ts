// The load generator, run under Bun (pinned to its own core by the runner) so one client core outpaces one server core:
// raw TCP sockets (Bun.connect), the HTTP upgrade written by hand, client frames masked once up front and written in
// batches, server frames parsed in place. It also reads the server's CPU time from /proc around the measured window,
// so the report can show the server saturated (≈1.0 of a core) while the generator still has headroom.
//
//   bun src/loadgen.ts '<json LoadgenOptions>'   →   one JSON line (LoadgenResult) on stdout
//
// Modes: `echo` (N connections × W messages in flight; latency percentiles when recorded) and `fanout` (S subscribers
// on /sub, one publisher on /pub keeping W publishes in flight; every subscriber must receive every publish, in order).
import { readFileSync } from 'node:fs'
import type { LoadgenOptions, LoadgenResult } from './loadgen-types.ts'

const TICKS = 100 // USER_HZ on Linux (getconf CLK_TCK)

/** utime + stime of a process in seconds, from /proc/<pid>/stat; null where unavailable. */
export function cpuSeconds(pid: number | 'self'): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses and may contain spaces: state is field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) / TICKS
  } catch {
    return null
  }
}

/** A masked client text frame; the mask is applied here, once, so sending it later costs nothing but the write. */
export function maskedTextFrame(payload: Uint8Array): Uint8Array {
  const n = payload.length
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10
  const frame = new Uint8Array(head + 4 + n)
  frame[0] = 0x81
  if (n < 126) frame[1] = 0x80 | n
  else if (n < 65536) {
    frame[1] = 0x80 | 126
    frame[2] = n >> 8
    frame[3] = n & 0xff
  } else {
    frame[1] = 0x80 | 127
    new DataView(frame.buffer).setBigUint64(2, BigInt(n))
  }
  const mask = crypto.getRandomValues(new Uint8Array(4))
  frame.set(mask, head)
  for (let i = 0; i < n; i++) frame[head + 4 + i] = payload[i]! ^ mask[i & 3]!
  return frame
}

interface Conn {
  /** Bytes that did not fit in the socket yet (written on drain). */
  backlog: Uint8Array[]
  carry: Buffer | undefined
  upgraded: boolean
  head: string
  /** Text frames received. */
  count: number
  onUpgrade: () => void
  onFrames: (n: number) => void
}

type BunSocket = { write(data: Uint8Array | string): number; end(): void; data: Conn }

function send(s: BunSocket, bytes: Uint8Array) {
  const c = s.data
  if (c.backlog.length) {
    c.backlog.push(bytes)
    return
  }
  const wrote = s.write(bytes)
  if (wrote < bytes.length) c.backlog.push(bytes.subarray(Math.max(0, wrote)))
}

let failure: Error | undefined
const fail = (e: Error) => {
  failure ??= e
}

/**
 * Counts the complete text frames in `chunk` (after what was carried over), checking them against `expected`; keeps
 * an incomplete tail for the next chunk. Pings and other control frames are skipped.
 */
function parse(c: Conn, chunk: Buffer, expected: Buffer): number {
  let buf = chunk
  if (c.carry) {
    buf = Buffer.concat([c.carry, chunk])
    c.carry = undefined
  }
  let off = 0
  let frames = 0
  const end = buf.length
  while (end - off >= 2) {
    const op = buf[off]! & 0x0f
    let len = buf[off + 1]! & 0x7f
    let head = 2
    if (len === 126) {
      if (end - off < 4) break
      len = (buf[off + 2]! << 8) | buf[off + 3]!
      head = 4
    } else if (len === 127) {
      if (end - off < 10) break
      len = Number(buf.readBigUInt64BE(off + 2))
      head = 10
    }
    if (end - off < head + len) break
    if (op === 0x1) {
      // Every frame's opcode and length are checked; its bytes on the first frame of a read and every 16th after,
      // because a native compare per 64-byte frame would cost the generator more than the server spends on it.
      if (
        len !== expected.length ||
        ((frames & 15) === 0 && expected.compare(buf, off + head, off + head + len) !== 0)
      )
        fail(
          new Error(`the server sent a ${len}-byte text frame that is not the ${expected.length} bytes sent`)
        )
      frames++
    } else if (op === 0x8)
      fail(
        new Error(
          `the server closed the connection (${buf.subarray(off + head, off + head + len).toString('hex')})`
        )
      )
    off += head + len
  }
  if (off < end) c.carry = Buffer.from(buf.subarray(off))
  return frames
}

function open(
  port: number,
  path: string,
  expected: Buffer,
  onFrames: (n: number) => void
): Promise<BunSocket> {
  return new Promise((resolve, reject) => {
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')
    const conn: Conn = {
      backlog: [],
      carry: undefined,
      upgraded: false,
      head: '',
      count: 0,
      onUpgrade: () => {},
      onFrames,
    }
    Bun.connect<Conn>({
      hostname: '127.0.0.1',
      port,
      data: conn,
      socket: {
        open(s) {
          // Nagle would hold a small batch until the previous one is acknowledged, and a publisher's socket gets no
          // replies to carry acknowledgements: stalls of a delayed-ACK timeout (40 ms) instead of load.
          s.setNoDelay(true)
          conn.onUpgrade = () => resolve(s as unknown as BunSocket)
          s.write(
            `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`
          )
        },
        data(s, chunk) {
          const c = s.data
          if (!c.upgraded) {
            c.head += chunk.toString('latin1')
            const at = c.head.indexOf('\r\n\r\n')
            if (at < 0) return
            if (!c.head.startsWith('HTTP/1.1 101')) {
              reject(new Error(`handshake on ${path} refused: ${c.head.split('\r\n')[0]}`))
              s.end()
              return
            }
            c.upgraded = true
            const rest = Buffer.from(c.head.slice(at + 4), 'latin1')
            c.head = ''
            c.onUpgrade()
            if (rest.length === 0) return
            chunk = rest
          }
          const n = parse(c, chunk, expected)
          if (n) {
            c.count += n
            c.onFrames(n)
          }
        },
        drain(s) {
          const c = s.data
          while (c.backlog.length) {
            const b = c.backlog[0]!
            const wrote = s.write(b)
            if (wrote < b.length) {
              c.backlog[0] = b.subarray(Math.max(0, wrote))
              return
            }
            c.backlog.shift()
          }
        },
        close() {},
        error(_s, e) {
          fail(e)
          reject(e)
        },
        connectError(_s, e) {
          reject(e)
        },
      },
    }).catch(reject)
  })
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
}

/** Runs `measured` between two CPU readings of the server and of this process. */
async function window(o: LoadgenOptions, count: () => number) {
  await pause(o.warmupMs)
  const m0 = count()
  const s0 = o.serverPid ? cpuSeconds(o.serverPid) : null
  const l0 = cpuSeconds('self')
  const t0 = Bun.nanoseconds()
  await pause(o.measureMs)
  const messages = count() - m0
  const seconds = (Bun.nanoseconds() - t0) / 1e9
  const s1 = o.serverPid ? cpuSeconds(o.serverPid) : null
  const l1 = cpuSeconds('self')
  const serverCpuSeconds = s0 === null || s1 === null ? null : s1 - s0
  return {
    messages,
    seconds,
    messagesPerSecond: messages / seconds,
    serverCpuSeconds,
    serverCpuMicrosPerMessage:
      serverCpuSeconds === null || !messages ? null : (serverCpuSeconds * 1e6) / messages,
    serverUtilisation: serverCpuSeconds === null ? null : serverCpuSeconds / seconds,
    loadUtilisation: l0 === null || l1 === null ? null : (l1 - l0) / seconds,
  }
}

async function echo(o: LoadgenOptions): Promise<LoadgenResult> {
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

async function fanout(o: LoadgenOptions): Promise<LoadgenResult> {
  const payload = Buffer.alloc(o.payloadBytes, 'p')
  const frame = maskedTextFrame(payload)
  const burst = new Uint8Array(frame.length * o.window)
  for (let i = 0; i < o.window; i++) burst.set(frame, i * frame.length)
  const subs = o.connections
  let delivered = 0
  let sent = 0
  let flowing = false
  let pub: BunSocket | undefined
  // Keeps `window` publishes in flight: a publish counts as done once, on average, every subscriber has it.
  const refill = () => {
    if (!flowing || !pub) return
    const done = Math.floor(delivered / subs)
    const k = Math.min(o.window, o.window - (sent - done))
    if (k <= 0) return
    send(pub, k === o.window ? burst : burst.subarray(0, k * frame.length))
    sent += k
  }
  const subscribers: BunSocket[] = []
  for (let i = 0; i < subs; i += 100)
    subscribers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, subs - i) }, () =>
          open(o.port, '/sub', payload, (n) => {
            delivered += n
            refill()
          })
        )
      ))
    )
  pub = await open(o.port, '/pub', payload, () => fail(new Error('the publisher received its own publish')))
  // Subscriptions may complete after the 101: probe until every subscriber has had a publish, then let it settle.
  const deadline = Date.now() + 10_000
  while (subscribers.some((s) => s.data.count === 0)) {
    if (Date.now() > deadline) {
      const missing = subscribers.filter((s) => s.data.count === 0).length
      throw new Error(`${missing} of ${subs} subscribers received no publish within 10 s`)
    }
    send(pub, frame)
    await pause(20)
  }
  await pause(200)
  delivered = 0
  for (const s of subscribers) s.data.count = 0
  flowing = true
  refill()
  const r = await window(o, () => delivered)
  flowing = false
  // Every subscriber must get every publish: wait for the last ones in flight, then compare counts.
  const until = Date.now() + 5000
  while (subscribers.some((s) => s.data.count !== sent) && Date.now() < until) await pause(20)
  const short = subscribers.filter((s) => s.data.count !== sent)
  if (short.length)
    fail(
      new Error(
        `${short.length} of ${subs} subscribers did not receive all ${sent} publishes (e.g. ${short[0]!.data.count})`
      )
    )
  pub.end()
  for (const s of subscribers) s.end()
  return { ...r, publishesPerSecond: r.messagesPerSecond / subs }
}

if (import.meta.main) {
  const o = JSON.parse(process.argv[2]!) as LoadgenOptions
  const run = o.mode === 'fanout' ? fanout : echo
  run(o).then(
    (r) => {
      if (failure) {
        console.error(failure.message)
        process.exit(1)
      }
      console.log(JSON.stringify(r))
      process.exit(0)
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e)
      process.exit(1)
    }
  )
}
