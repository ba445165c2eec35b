// The measurements of every round summarised into rows: medians and ranges over rounds, and per-round ratios to the
// raw runtime of the same round. Also the shape of results.json.
import type { Measurement, MeasureOptions } from './measure.ts'
import { type Flavour, flavours, type Runtime, variant } from './variants.ts'

/** Median over rounds, with the lowest and highest round. */
export interface Stat {
  median: number
  min: number
  max: number
}

export interface Row {
  runtime: Runtime
  flavour: Flavour
  server: string
  echo: Stat | null
  echoRatio: Stat | null
  echoMicros: Stat | null
  /** raw µs/msg ÷ this server's µs/msg, per round: the ratio by CPU cost, which CPU contention disturbs less. */
  echoCpuRatio: Stat | null
  echoServerCpu: Stat | null
  echoLoadCpu: Stat | null
  p50: Stat | null
  p99: Stat | null
  p50Ratio: Stat | null
  fanout: Stat | null
  fanoutRatio: Stat | null
  fanoutMicros: Stat | null
  fanoutCpuRatio: Stat | null
  fanoutServerCpu: Stat | null
  fanoutLoadCpu: Stat | null
  kib: Stat | null
  memoryRatio: Stat | null
}

export interface Environment {
  date: string
  cores: number
  cpu: string
  node: string
  bun: string
  deno: string
  loadBefore: number
  loadAfter: number
  /** What a CPU-bound loop pinned to the server's core got of it, probed before each runtime of each round. */
  coreShares?: number[]
}

export interface Results {
  environment: Environment
  options: MeasureOptions
  rounds: number
  quick: boolean
  runtimes: Runtime[]
  rows: Row[]
  measurements: Record<string, Measurement[]>
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
/** Median, lowest and highest of the finite numbers in `xs`; null when there are none. */
export const stat = (xs: (number | null | undefined)[]): Stat | null => {
  const ys = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x))
  return ys.length ? { median: median(ys), min: Math.min(...ys), max: Math.max(...ys) } : null
}

type Pick = (m: Measurement) => number | null | undefined

export function summarize(r: Omit<Results, 'rows'>): Results {
  const rows: Row[] = r.runtimes.flatMap((runtime) =>
    flavours.map((flavour) => {
      const ms = r.measurements[`${runtime}/${flavour}`] ?? []
      const raw = r.measurements[`${runtime}/raw`] ?? []
      const of = (pick: Pick) => stat(ms.map(pick))
      // The ratio of each round to the raw server of the same round; the median of those ratios.
      const ratio = (pick: Pick, inverse = false) =>
        stat(
          ms.map((m, i) => {
            const a = pick(m)
            const b = raw[i] ? pick(raw[i]!) : null
            if (a == null || b == null || a === 0 || b === 0) return null
            return inverse ? b / a : a / b
          })
        )
      return {
        runtime,
        flavour,
        server: variant(runtime, flavour).label,
        echo: of((m) => m.echo.messagesPerSecond),
        echoRatio: ratio((m) => m.echo.messagesPerSecond),
        echoMicros: of((m) => m.echo.serverCpuMicrosPerMessage),
        echoCpuRatio: ratio((m) => m.echo.serverCpuMicrosPerMessage, true),
        echoServerCpu: of((m) => m.echo.serverUtilisation),
        echoLoadCpu: of((m) => m.echo.loadUtilisation),
        p50: of((m) => m.latency?.p50Micros),
        p99: of((m) => m.latency?.p99Micros),
        p50Ratio: ratio((m) => m.latency?.p50Micros),
        fanout: of((m) => m.fanout?.messagesPerSecond),
        fanoutRatio: ratio((m) => m.fanout?.messagesPerSecond),
        fanoutMicros: of((m) => m.fanout?.serverCpuMicrosPerMessage),
        fanoutCpuRatio: ratio((m) => m.fanout?.serverCpuMicrosPerMessage, true),
        fanoutServerCpu: of((m) => m.fanout?.serverUtilisation),
        fanoutLoadCpu: of((m) => m.fanout?.loadUtilisation),
        kib: of((m) => (m.bytesPerIdleConnection === null ? null : m.bytesPerIdleConnection / 1024)),
        memoryRatio: ratio((m) => m.bytesPerIdleConnection),
      }
    })
  )
  return { ...r, rows }
}
