// The measured window of a load generator run: warm-up, then the messages counted between two readings of the
// server's and the generator's own CPU time from /proc.
import { readFileSync } from 'node:fs'
import type { LoadgenOptions } from './loadgen-types.ts'

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

/** Resolves after `ms` milliseconds. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Runs `measured` between two CPU readings of the server and of this process. */
export async function window(o: LoadgenOptions, count: () => number) {
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
