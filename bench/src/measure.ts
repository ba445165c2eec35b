// Measures the servers of one round, each on a fresh process pinned to core 1, all started together: memory per idle
// connection and 1 × 1 latency one server at a time, then echo and fan-out each in one run of the Bun load generator
// (pinned to core 0) that gives the servers the load in turn, in short slices (loadgen-window.ts), so that the
// machine's drift in speed falls on all of them alike. One server is the round of one.
import { execFile } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import type { LoadgenOptions, LoadgenResult } from './loadgen-types.ts'
import { memoryPerConnection } from './memory.ts'
import { bunBinary, pinned, type Variant } from './variants.ts'

/** Re-exported for the profiles, which measure memory alone. */
export { memoryPerConnection }

const bench = fileURLToPath(new URL('..', import.meta.url))
const loadgen = fileURLToPath(new URL('./loadgen.ts', import.meta.url))
const run = promisify(execFile)

export interface MeasureOptions {
  /** Echo under load: connections × messages in flight on each. */
  connections: number
  window: number
  payloadBytes: number
  /** Load on each server before its first measured slice. */
  warmupMs: number
  /** Measured time per server of each throughput load: the sum of its slices. */
  measureMs: number
  /** Measured time of one slice when the servers of a round take turns; 250 ms by default. */
  sliceMs?: number
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

interface Running {
  v: Variant
  server: ServerProcess
}

/** Runs the Bun load generator pinned to core 0 (the servers are on core 1) against `on`: one result per server. */
async function load(o: Omit<LoadgenOptions, 'servers'>, on: Running[]): Promise<LoadgenResult[]> {
  const servers = on.map(({ server }) => ({ port: server.port, pid: server.child.pid }))
  const [bin, ...args] = pinned(
    0,
    [bunBinary, loadgen, JSON.stringify({ ...o, servers })],
    availableParallelism()
  )
  // Lead-ins and drains add to the measured time; opening 500 subscribers per server takes a second or two.
  const timeout = on.length * (o.warmupMs + 2 * o.measureMs) + 60_000
  const { stdout } = await run(bin!, args, { cwd: bench, timeout }).catch(
    (e: Error & { stderr?: string }) => {
      const who = on.map(({ v, server }) => `${v.label} (port ${server.port})`).join(', ')
      const output = on.map(({ v, server }) => `--- ${v.label}:\n${server.output()}`).join('\n')
      throw new Error(`${o.mode} load against ${who} failed: ${e.stderr || e.message}\n${output}`)
    }
  )
  return JSON.parse(stdout) as LoadgenResult[]
}

/** Measures the servers of a round, `variants` in that order (which is also the order of their turns). */
export async function measureRound(variants: Variant[], o: MeasureOptions): Promise<Measurement[]> {
  const running: Running[] = []
  try {
    for (const v of variants) {
      const command = pinned(1, v.command, availableParallelism())
      running.push({
        v,
        server: await startServer(command, { cwd: bench, env: { DENO_NO_UPDATE_CHECK: '1' } }),
      })
    }
    const base = { payloadBytes: o.payloadBytes, warmupMs: o.warmupMs, sliceMs: o.sliceMs }
    // Memory first, on processes that have served nothing yet; the other servers sit idle meanwhile.
    const memory: (number | null)[] = []
    for (const { server } of running)
      memory.push(o.idle > 0 ? await memoryPerConnection(server.child.pid!, server.port, o.idle) : null)
    const echo = await load(
      { ...base, mode: 'echo', connections: o.connections, window: o.window, measureMs: o.measureMs },
      running
    )
    // Latency has no goal to decide, and one message in flight leaves nothing to alternate: one server at a time.
    const latency: (LoadgenResult | null)[] = []
    for (const r of running)
      latency.push(
        o.latencyMs > 0
          ? (
              await load(
                { ...base, mode: 'echo', connections: 1, window: 1, measureMs: o.latencyMs, latency: true },
                [r]
              )
            )[0]!
          : null
      )
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
            running
          )
        : null
    return running.map((_, i) => ({
      bytesPerIdleConnection: memory[i] ?? null,
      echo: echo[i]!,
      latency: latency[i] ?? null,
      fanout: fanout?.[i] ?? null,
    }))
  } finally {
    await Promise.all(running.map(({ server }) => server.stop()))
  }
}

/** Measures one server (the profiles' A/B scripts call it once per server). */
export async function measure(v: Variant, o: MeasureOptions): Promise<Measurement> {
  return (await measureRound([v], o))[0]!
}
