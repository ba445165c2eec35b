// The results as markdown: the throughput table, the latency and memory table, and the table of the goals of issue 14.
import { goals } from './goals.ts'
import { type Results, type Stat, stat } from './summary.ts'
import type { Flavour } from './variants.ts'

const num = (s: Stat | null, digits = 0) =>
  s === null
    ? 'n/a'
    : s.median.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const rng = (s: Stat | null, rounds: number, digits = 2) =>
  s === null
    ? 'n/a'
    : rounds > 1 && s.min !== s.max
      ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
      : s.median.toFixed(digits)

const share = (xs: number[] | undefined) => {
  const s = stat(xs ?? [])
  return s
    ? `; a CPU-bound loop pinned to the server's core got ${s.median.toFixed(2)} of it ` +
        `(${s.min.toFixed(2)}–${s.max.toFixed(2)}; 1.00 = no other load)`
    : ''
}

// Results from before the slices (results.json without sliceMs) measured each server alone.
const slices = (ms: number | undefined) =>
  ms ? ` (echo and fan-out: the servers of a round in turns, in slices of ${ms} ms)` : ''

/** The results as markdown: the throughput table, the latency and memory table, and the goals. */
export function markdown(r: Results, chartPath: string): string {
  const e = r.environment
  const out: string[] = []
  out.push(
    `Run of ${e.date}: ${r.rounds} round${r.rounds > 1 ? 's' : ''}${r.quick ? ' (`--quick`)' : ''}, ` +
      `${r.options.measureMs / 1000} s per measurement${slices(r.options.sliceMs)}; Node ${e.node}, Bun ${e.bun}, Deno ${e.deno}; ` +
      `${e.cores} cores (${e.cpu}); load average ${e.loadBefore.toFixed(1)} before, ${e.loadAfter.toFixed(1)} after` +
      `${share(e.coreShares)}. ` +
      'Ratios are the median of per-round ratios to the raw runtime of the same round, the range in brackets.',
    '',
    `![honokit, Hono's helpers and crossws as a ratio to the raw runtime](${chartPath})`,
    '',
    `Echo: ${r.options.connections} connections × ${r.options.window} messages of ${r.options.payloadBytes} bytes in flight. ` +
      `Fan-out: ${r.options.subscribers} subscribers, ${r.options.fanoutWindow} publishes in flight, each helper's ` +
      'own pub/sub (deliveries counted at the subscribers). µs = server CPU time (user + system, from /proc) per ' +
      'message delivered; × raw (CPU) = raw µs ÷ this µs, the ratio by CPU cost, which CPU taken by other processes ' +
      'disturbs less than msg/s; CPU = server and load generator CPU ÷ wall time (1.00 = one core busy).',
    '',
    '| runtime | server | echo msg/s | × raw | µs/msg | × raw (CPU) | CPU server / load gen | fan-out deliveries/s | × raw | µs/delivery | × raw (CPU) | CPU server / load gen |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
  )
  const cpu = (a: Stat | null, b: Stat | null) => `${num(a, 2)} / ${num(b, 2)}`
  for (const w of r.rows)
    out.push(
      `| ${w.runtime} | ${w.server} | ${num(w.echo)} | ${rng(w.echoRatio, r.rounds)} | ${num(w.echoMicros, 2)} | ` +
        `${rng(w.echoCpuRatio, 1)} | ${cpu(w.echoServerCpu, w.echoLoadCpu)} | ${num(w.fanout)} | ` +
        `${rng(w.fanoutRatio, r.rounds)} | ${num(w.fanoutMicros, 3)} | ${rng(w.fanoutCpuRatio, 1)} | ` +
        `${cpu(w.fanoutServerCpu, w.fanoutLoadCpu)} |`
    )
  out.push(
    '',
    `Latency: 1 connection × 1 message in flight (round trip seen by the load generator). Memory: resident memory ` +
      `after GC with ${r.options.idle.toLocaleString('en')} idle connections open, minus before, per connection.`,
    '',
    '| runtime | server | 1×1 p50 µs | p99 µs | p50 × raw | KiB per idle connection | × raw |',
    '|---|---|---:|---:|---:|---:|---:|'
  )
  for (const w of r.rows)
    out.push(
      `| ${w.runtime} | ${w.server} | ${num(w.p50)} | ${num(w.p99)} | ${rng(w.p50Ratio, r.rounds)} | ` +
        `${num(w.kib, 1)} | ${rng(w.memoryRatio, r.rounds)} |`
    )
  out.push(
    '',
    "Goals (issue 14): honokit ÷ raw reaches the goal, and honokit is ahead of Hono's helper and crossws on every row. " +
      'The throughput goals are also checked by CPU cost (raw µs ÷ honokit µs per message): the same ratio when the ' +
      'server is saturated, and the steadier one when other load takes part of its core.',
    '',
    "| runtime | measure | goal | honokit | Hono's helper | crossws | goal met | ahead of both |",
    '|---|---|---:|---:|---:|---:|:---:|:---:|'
  )
  for (const row of goalRows(r))
    out.push(
      `| ${row.runtime} | ${row.measure} | ${row.goal} | ${row.honokit} | ${row.hono} | ${row.crossws} | ` +
        `${row.met} | ${row.ahead} |`
    )
  return out.join('\n')
}

function goalRows(r: Results) {
  const yes = (b: boolean | null) => (b === null ? 'n/a' : b ? 'yes' : '**no**')
  return r.runtimes.flatMap((runtime) => {
    const row = (f: Flavour) => r.rows.find((w) => w.runtime === runtime && w.flavour === f)!
    const measures = [
      {
        measure: 'echo ÷ raw',
        key: 'echoRatio',
        higher: true,
        goal: goals.echo[runtime] as number | undefined,
      },
      {
        measure: 'echo ÷ raw, by CPU µs/msg',
        key: 'echoCpuRatio',
        higher: true,
        goal: goals.echo[runtime] as number | undefined,
      },
      {
        measure: 'fan-out ÷ raw',
        key: 'fanoutRatio',
        higher: true,
        goal: goals.fanout[runtime] as number | undefined,
      },
      {
        measure: 'fan-out ÷ raw, by CPU µs/delivery',
        key: 'fanoutCpuRatio',
        higher: true,
        goal: goals.fanout[runtime] as number | undefined,
      },
      { measure: '1×1 p50 ÷ raw', key: 'p50Ratio', higher: false, goal: undefined },
      {
        measure: 'memory ÷ raw',
        key: 'memoryRatio',
        higher: false,
        goal: goals.memory[runtime] as number | undefined,
      },
    ] as const
    return measures.map((m) => {
      const v = (f: Flavour) => (row(f)[m.key] as Stat | null)?.median ?? null
      const h = v('honokit')
      const better = (a: number | null, b: number | null) =>
        a === null || b === null ? null : m.higher ? a > b : a < b
      const aheadHono = better(h, v('hono'))
      const aheadCross = better(h, v('crossws'))
      return {
        runtime,
        measure: m.measure,
        goal: m.goal === undefined ? '—' : `${m.higher ? '≥' : '≤'} ${m.goal.toFixed(2)}`,
        honokit: rng(row('honokit')[m.key] as Stat | null, 1),
        hono: rng(row('hono')[m.key] as Stat | null, 1),
        crossws: rng(row('crossws')[m.key] as Stat | null, 1),
        met: m.goal === undefined || h === null ? '—' : yes(m.higher ? h >= m.goal : h <= m.goal),
        ahead: aheadHono === null || aheadCross === null ? 'n/a' : yes(aheadHono && aheadCross),
      }
    })
  })
}
