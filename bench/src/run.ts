// `npm run bench`: echo throughput and memory per idle connection of honokit and of Hono's own helpers, each as a
// ratio to the raw runtime measured in the same round. Server and load generator run on separate cores.
// Options: --rounds N, --seconds S, --connections N, --window N, --payload BYTES, --idle N, --runtimes node,bun,deno
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type Measurement, measure } from './measure.ts'
import { type Flavour, flavours, prepare, type Runtime, runtimes, variant } from './variants.ts'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    window: { type: 'string', default: '16' },
    payload: { type: 'string', default: '64' },
    idle: { type: 'string', default: '2000' },
    runtimes: { type: 'string', default: runtimes.join(',') },
  },
})
const options = {
  connections: Number(values.connections),
  window: Number(values.window),
  payloadBytes: Number(values.payload),
  warmupMs: 1000,
  measureMs: Number(values.seconds) * 1000,
  idle: Number(values.idle),
}
const rounds = Number(values.rounds)
const chosen = values.runtimes.split(',').filter((r): r is Runtime => runtimes.includes(r as Runtime))

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

console.log(
  `echo of ${options.payloadBytes}-byte text messages, ${options.connections} connections × ${options.window} in flight, ` +
    `${values.seconds} s per measurement after 1 s of warm-up; memory from ${options.idle} idle connections; ` +
    `${rounds} rounds; ${availableParallelism()} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`
)

await prepare()
const results: Record<string, Measurement[]> = {}
for (let round = 1; round <= rounds; round++) {
  for (const runtime of chosen) {
    // Raw, honokit and Hono's helper back to back, so each ratio compares measurements taken moments apart.
    for (const flavour of flavours) {
      const v = variant(runtime, flavour)
      const m = await measure(v, options)
      const key = `${runtime}/${flavour}`
      results[key] = [...(results[key] ?? []), m]
      const mem =
        m.bytesPerIdleConnection === null ? '' : `, ${(m.bytesPerIdleConnection / 1024).toFixed(1)} KiB/conn`
      console.log(
        `  round ${round} ${v.label}: ${Math.round(m.messagesPerSecond).toLocaleString('en')} msg/s${mem}`
      )
    }
  }
}

// Per round ratio to the raw server of the same round; reported as the median over rounds and the range.
interface Ratio {
  median: number
  min: number
  max: number
}
const ratio = (runtime: Runtime, flavour: Flavour, pick: (m: Measurement) => number | null): Ratio | null => {
  const raw = results[`${runtime}/raw`]!
  const xs = results[`${runtime}/${flavour}`]!.flatMap((m, i) => {
    const a = pick(m)
    const b = pick(raw[i]!)
    return a === null || b === null || b === 0 ? [] : [a / b]
  })
  return xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : null
}

const rows = chosen.flatMap((runtime) =>
  flavours.map((flavour) => {
    const ms = results[`${runtime}/${flavour}`]!
    const mem = ms.map((m) => m.bytesPerIdleConnection).filter((b): b is number => b !== null)
    return {
      runtime,
      server: variant(runtime, flavour).label,
      messagesPerSecond: Math.round(median(ms.map((m) => m.messagesPerSecond))),
      throughputRatio: ratio(runtime, flavour, (m) => m.messagesPerSecond),
      kibPerIdleConnection: mem.length ? median(mem) / 1024 : null,
      memoryRatio: ratio(runtime, flavour, (m) => m.bytesPerIdleConnection),
    }
  })
)

const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(1))
const fmtRatio = (r: Ratio | null) =>
  r === null
    ? 'n/a'
    : rounds > 1
      ? `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
      : r.median.toFixed(2)
console.log('\n| runtime | server | echo msg/s | × raw (range) | KiB per idle connection | × raw (range) |')
console.log('|---|---|---:|---:|---:|---:|')
for (const r of rows)
  console.log(
    `| ${r.runtime} | ${r.server} | ${r.messagesPerSecond.toLocaleString('en')} | ${fmtRatio(r.throughputRatio)} | ` +
      `${fmt(r.kibPerIdleConnection)} | ${fmtRatio(r.memoryRatio)} |`
  )

const dir = fileURLToPath(new URL('../../reports/bench/', import.meta.url))
mkdirSync(dir, { recursive: true })
writeFileSync(`${dir}bench.json`, `${JSON.stringify({ options, rounds, rows, results }, null, 2)}\n`)
console.log(`\nwritten to reports/bench/bench.json`)
