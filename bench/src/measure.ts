// Measures one server: memory per idle connection on a fresh process, then echo throughput from a pinned load process.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startServer } from '@honokit/ws-conformance/runner'
import { handshake } from './frames.ts'
import type { LoadOptions, LoadResult } from './load.ts'
import { pinned, type Variant } from './variants.ts'

const bench = fileURLToPath(new URL('..', import.meta.url))
const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url))
const run = promisify(execFile)

export interface MeasureOptions {
  connections: number
  window: number
  payloadBytes: number
  warmupMs: number
  measureMs: number
  /** Idle connections opened to measure memory per connection; 0 skips the memory measurement. */
  idle: number
}

export interface Measurement extends LoadResult {
  /** Resident memory per idle connection in bytes, or null where /proc is not available. */
  bytesPerIdleConnection: number | null
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

async function memoryPerConnection(pid: number, port: number, idle: number): Promise<number | null> {
  // Warm-up: code paths, pools and buffers allocated once, so they are not counted per connection.
  for (const s of await openIdle(port, 100)) s.destroy()
  await pause(500)
  await collect(port)
  const before = rss(pid)
  const sockets = await openIdle(port, idle)
  await pause(500)
  await collect(port)
  const after = rss(pid)
  for (const s of sockets) s.destroy()
  await pause(300)
  return before === null || after === null ? null : Math.max(0, after - before) / idle
}

export async function measure(v: Variant, o: MeasureOptions): Promise<Measurement> {
  const cores = availableParallelism()
  const server = await startServer(pinned(1, v.command, cores), {
    cwd: bench,
    env: { DENO_NO_UPDATE_CHECK: '1' },
  })
  try {
    const pid = server.child.pid!
    const bytesPerIdleConnection = o.idle > 0 ? await memoryPerConnection(pid, server.port, o.idle) : null
    const load: LoadOptions = {
      port: server.port,
      connections: o.connections,
      window: o.window,
      payloadBytes: o.payloadBytes,
      warmupMs: o.warmupMs,
      measureMs: o.measureMs,
    }
    const [bin, ...args] = pinned(
      0,
      [process.execPath, '--import', 'tsx', loadScript, JSON.stringify(load)],
      cores
    )
    const { stdout } = await run(bin!, args, {
      cwd: bench,
      timeout: o.warmupMs + o.measureMs + 60_000,
    }).catch((e: Error & { stderr?: string }) => {
      throw new Error(`load against ${v.label} failed: ${e.stderr || e.message}\n${server.output()}`)
    })
    return { ...(JSON.parse(stdout) as LoadResult), bytesPerIdleConnection }
  } finally {
    await server.stop()
  }
}
