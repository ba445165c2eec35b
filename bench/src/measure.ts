// Measures one server: memory per idle connection on a fresh process, then echo (many connections, then 1 × 1 for
// latency) and fan-out, each from the Bun load generator pinned to the other core.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startServer } from '@honokit/ws-conformance/runner'
import { handshake } from './frames.ts'
import type { LoadgenOptions, LoadgenResult } from './loadgen-types.ts'
import { bunBinary, pinned, type Variant } from './variants.ts'

const bench = fileURLToPath(new URL('..', import.meta.url))
const loadgen = fileURLToPath(new URL('./loadgen.ts', import.meta.url))
const run = promisify(execFile)

export interface MeasureOptions {
  /** Echo under load: connections × messages in flight on each. */
  connections: number
  window: number
  payloadBytes: number
  warmupMs: number
  measureMs: number
  /** Measured time of the 1 × 1 latency run (0 skips it). */
  latencyMs: number
  /** Fan-out: subscribers, and publishes kept in flight (0 subscribers skips it). */
  subscribers: number
  fanoutWindow: number
  /** Idle connections opened to measure memory per connection; 0 skips the memory measurement. */
  idle: number
}

export interface Measurement {
  /** Resident memory per idle connection in bytes, or null where /proc is not available. */
  bytesPerIdleConnection: number | null
  echo: LoadgenResult
  latency: LoadgenResult | null
  fanout: LoadgenResult | null
}

/** Resident set size of a process in bytes, from /proc (Linux); null elsewhere. */
function rss(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Number(kb) * 1024 : null
  } catch {
    return null
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function openIdle(port: number, n: number) {
  const sockets = []
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => handshake(port)))
    sockets.push(...batch.map((b) => b.socket))
  }
  return sockets
}

/** Asks the server to collect garbage, so what is left is what the open connections hold. */
async function collect(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/gc`)
  if (!res.ok) throw new Error(`GET /gc answered ${res.status}`)
  await res.body?.cancel()
  await pause(200)
}

export async function memoryPerConnection(pid: number, port: number, idle: number): Promise<number | null> {
  // Time for the server to finish opening or closing connections: 500 ms for thousands, less for the smoke test.
  const settle = Math.min(500, 50 + idle / 4)
  // Warm-up: code paths, pools and buffers allocated once, so they are not counted per connection.
  for (const s of await openIdle(port, 100)) s.destroy()
  await pause(settle)
  await collect(port)
  const before = rss(pid)
  const sockets = await openIdle(port, idle)
  await pause(settle)
  await collect(port)
  const after = rss(pid)
  for (const s of sockets) s.destroy()
  await pause(settle)
  return before === null || after === null ? null : Math.max(0, after - before) / idle
}

const spin =
  'const u0=process.cpuUsage(),t=performance.now();while(performance.now()-t<300);' +
  'const u=process.cpuUsage(u0);console.log((u.user+u.system)/1e3/(performance.now()-t))'

/**
 * The share of the server's core that a CPU-bound loop pinned there gets for 300 ms: 1.00 on an idle machine, less
 * when other processes run on that core. Reported with the results, to say how noisy a run was.
 */
export async function coreShare(): Promise<number> {
  const [bin, ...args] = pinned(1, [process.execPath, '-e', spin], availableParallelism())
  const { stdout } = await run(bin!, args)
  return Number(stdout.trim())
}

/** Runs the Bun load generator pinned to core 0 (the server is on core 1). */
async function load(o: LoadgenOptions, label: string, output: () => string): Promise<LoadgenResult> {
  const [bin, ...args] = pinned(0, [bunBinary, loadgen, JSON.stringify(o)], availableParallelism())
  const { stdout } = await run(bin!, args, { cwd: bench, timeout: o.warmupMs + o.measureMs + 60_000 }).catch(
    (e: Error & { stderr?: string }) => {
      throw new Error(`${o.mode} load against ${label} failed: ${e.stderr || e.message}\n${output()}`)
    }
  )
  return JSON.parse(stdout) as LoadgenResult
}

export async function measure(v: Variant, o: MeasureOptions): Promise<Measurement> {
  const server = await startServer(pinned(1, v.command, availableParallelism()), {
    cwd: bench,
    env: { DENO_NO_UPDATE_CHECK: '1' },
  })
  try {
    const pid = server.child.pid!
    const base = { port: server.port, serverPid: pid, payloadBytes: o.payloadBytes, warmupMs: o.warmupMs }
    const bytesPerIdleConnection = o.idle > 0 ? await memoryPerConnection(pid, server.port, o.idle) : null
    const echo = await load(
      { ...base, mode: 'echo', connections: o.connections, window: o.window, measureMs: o.measureMs },
      v.label,
      server.output
    )
    const latency =
      o.latencyMs > 0
        ? await load(
            { ...base, mode: 'echo', connections: 1, window: 1, measureMs: o.latencyMs, latency: true },
            v.label,
            server.output
          )
        : null
    const fanout =
      o.subscribers > 0
        ? await load(
            {
              ...base,
              mode: 'fanout',
              connections: o.subscribers,
              window: o.fanoutWindow,
              measureMs: o.measureMs,
            },
            v.label,
            server.output
          )
        : null
    return { bytesPerIdleConnection, echo, latency, fanout }
  } finally {
    await server.stop()
  }
}
