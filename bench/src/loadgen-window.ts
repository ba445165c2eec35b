// The measured slices of a load generator run. Servers take turns: each gets its load for a short lead-in (the
// pipeline fills), then a slice in which the messages are counted between two readings of its CPU time and the
// generator's own from /proc, then no new messages until everything in flight has come back; only then does the next
// server start. The host of these VMs is shared and their speed drifts by ±20 % over seconds: in slices a quarter of a
// second apart, the drift falls on every server alike instead of on whichever was measured at the time. Before the
// first slice each server has its warm-up, so its JIT tiers are done.
import { readFileSync } from 'node:fs'
import type { LoadgenOptions, LoadgenResult, LoadgenServer } from './loadgen-types.ts'

const TICKS = 100 // USER_HZ on Linux (getconf CLK_TCK)
/** Load before each slice is measured: enough for every connection's window to be out and coming back. */
const LEAD_IN_MS = 50
const DRAIN_MS = 5000

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

/** Resolves after `ms` milliseconds. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One server's load, as the slices drive it. */
export interface Load {
  /** The server's PID, for its CPU time. */
  pid: number | undefined
  /** Messages received from this server so far. */
  received(): number
  /** Fills the pipeline, and keeps it full until `stop`. */
  start(): void
  /** Sends nothing more; what is in flight still comes back. */
  stop(): void
  /** What is still in flight, in words; undefined once everything sent has come back. */
  inFlight(): string | undefined
  /** Told when a measured slice begins and ends (latency is recorded only then). */
  measuring?(on: boolean): void
}

async function drain(load: Load) {
  const until = Date.now() + DRAIN_MS
  for (let left = load.inFlight(); left !== undefined; left = load.inFlight()) {
    if (Date.now() > until) throw new Error(`${left} ${DRAIN_MS / 1000} s after the load stopped`)
    await pause(1)
  }
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a)
const add = (sum: number | null, d: number | null) => (sum === null || d === null ? null : sum + d)
const cpu = (load: Load) => (load.pid ? cpuSeconds(load.pid) : null)

/** Warms every server up, then measures `o.measureMs` of each in slices taken in turn; one result per server. */
export async function slices(loads: Load[], o: LoadgenOptions): Promise<LoadgenResult[]> {
  for (const load of loads) {
    load.start()
    await pause(o.warmupMs)
    load.stop()
    await drain(load)
  }
  // One server alone has nothing to alternate with: one slice, as long as asked.
  const count = loads.length === 1 ? 1 : Math.max(1, Math.round(o.measureMs / (o.sliceMs ?? 250)))
  const sliceMs = o.measureMs / count
  const sums = loads.map(() => ({
    messages: 0,
    seconds: 0,
    server: 0 as number | null,
    self: 0 as number | null,
    idle: 0 as number | null,
    idleSeconds: 0,
  }))
  const turns = loads.map((_, k) => k)
  for (let i = 0; i < count; i++)
    // Every other cycle runs backwards (A B C D, D C B A, …), so a steady drift in speed favours no place in the cycle.
    for (const k of i % 2 ? [...turns].reverse() : turns) {
      const load = loads[k]!
      load.start()
      await pause(LEAD_IN_MS)
      const cpu0 = loads.map(cpu)
      const self0 = cpuSeconds('self')
      const m0 = load.received()
      const t0 = Bun.nanoseconds()
      load.measuring?.(true)
      await pause(sliceMs)
      load.measuring?.(false)
      const messages = load.received() - m0
      const seconds = (Bun.nanoseconds() - t0) / 1e9
      const cpu1 = loads.map(cpu)
      const self1 = cpuSeconds('self')
      load.stop()
      const s = sums[k]!
      s.messages += messages
      s.seconds += seconds
      s.server = add(s.server, diff(cpu0[k]!, cpu1[k]!))
      s.self = add(s.self, diff(self0, self1))
      // The other servers had no load in this slice: what CPU they used is work left over from their own turn.
      for (const [j, other] of sums.entries())
        if (j !== k) {
          other.idle = add(other.idle, diff(cpu0[j]!, cpu1[j]!))
          other.idleSeconds += seconds
        }
      await drain(load)
    }
  return sums.map((s) => ({
    messages: s.messages,
    seconds: s.seconds,
    messagesPerSecond: s.messages / s.seconds,
    serverCpuSeconds: s.server,
    serverCpuMicrosPerMessage: s.server === null || !s.messages ? null : (s.server * 1e6) / s.messages,
    serverUtilisation: s.server === null ? null : s.server / s.seconds,
    loadUtilisation: s.self === null ? null : s.self / s.seconds,
    slices: count,
    idleUtilisation: s.idle === null || !s.idleSeconds ? null : s.idle / s.idleSeconds,
  }))
}

/**
 * Opens one load per server (one server after another), measures them in slices and closes them: each load with its
 * server's result, in the servers' order.
 */
export async function loadInSlices<L extends Load & { close(): void }>(
  servers: LoadgenServer[],
  openLoad: (server: LoadgenServer) => Promise<L>,
  o: LoadgenOptions
): Promise<{ load: L; result: LoadgenResult; server: LoadgenServer }[]> {
  const loads: L[] = []
  for (const server of servers) loads.push(await openLoad(server))
  const results = await slices(loads, o)
  for (const load of loads) load.close()
  return results.map((result, i) => ({ load: loads[i]!, result, server: servers[i]! }))
}
