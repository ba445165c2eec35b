// `npm run bench`: echo (64 connections × 32 in flight, and 1 × 1 for latency), fan-out to 500 subscribers and memory
// per idle connection of honokit, Hono's own helpers and crossws, each as a ratio to the raw runtime measured in the
// same round. Servers and load generator (Bun, raw frames) run on separate cores; the servers of a round take turns
// under the throughput loads in slices of 250 ms, and each one's CPU time is read from /proc around its slices.
// Options: --quick, --rounds N, --seconds S, --slice MS, --connections N, --window N, --subscribers N, --payload BYTES,
// --idle N, --runtimes node,bun,deno, --out DIR (results there, bench/results and the READMEs untouched),
// --render (rebuild tables, chart and READMEs from bench/results/results.json only).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { coreShare, type Measurement, type MeasureOptions, measureRound } from './measure.ts'
import { publish } from './report.ts'
import { type Results, summarize } from './summary.ts'
import { bunVersion, denoVersion, flavours, prepare, type Runtime, runtimes, variant } from './variants.ts'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    slice: { type: 'string', default: '250' },
    connections: { type: 'string', default: '64' },
    window: { type: 'string', default: '32' },
    subscribers: { type: 'string', default: '500' },
    'fanout-window': { type: 'string', default: '64' },
    payload: { type: 'string', default: '64' },
    idle: { type: 'string' },
    runtimes: { type: 'string', default: runtimes.join(',') },
    out: { type: 'string' },
  },
})
const results = fileURLToPath(new URL('../results/', import.meta.url))
const reports = fileURLToPath(new URL('../../reports/bench/', import.meta.url))

if (values.render) {
  const saved = JSON.parse(readFileSync(`${results}results.json`, 'utf8')) as Results
  await publish(saved, { readme: true })
  process.exit(0)
}

const quick = values.quick
const seconds = Number(values.seconds ?? (quick ? 0.7 : 1.5))
const options: MeasureOptions = {
  connections: Number(values.connections),
  window: Number(values.window),
  payloadBytes: Number(values.payload),
  warmupMs: quick ? 300 : 700,
  measureMs: seconds * 1000,
  sliceMs: Number(values.slice),
  latencyMs: quick ? 500 : 1000,
  subscribers: Number(values.subscribers),
  fanoutWindow: Number(values['fanout-window']),
  idle: Number(values.idle ?? (quick ? 1000 : 5000)),
}
const rounds = Number(values.rounds ?? (quick ? 1 : 4))
const chosen = values.runtimes.split(',').filter((r): r is Runtime => runtimes.includes(r as Runtime))

const environment = {
  date: new Date().toISOString().slice(0, 10),
  cores: availableParallelism(),
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  bun: bunVersion(),
  deno: denoVersion(),
  loadBefore: loadavg()[0]!,
  loadAfter: 0,
  coreShares: [] as number[],
}
console.log(
  `echo: ${options.payloadBytes}-byte text messages, ${options.connections} connections × ${options.window} in flight, ` +
    `then 1 × 1 for latency; fan-out: ${options.subscribers} subscribers × ${options.fanoutWindow} publishes in flight; ` +
    `${seconds} s per measurement in slices of ${options.sliceMs} ms after ${options.warmupMs} ms of warm-up; memory from ${options.idle} idle connections; ` +
    `${rounds} round(s); ${environment.cores} cores (${environment.cpu}); Node ${environment.node}, Bun ${environment.bun}, ` +
    `Deno ${environment.deno}; load average ${environment.loadBefore.toFixed(2)}`
)

const pct = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2))
await prepare()
const measurements: Record<string, Measurement[]> = {}
for (let round = 1; round <= rounds; round++) {
  for (const runtime of chosen) {
    // The servers of a runtime run together and take turns under load, so each ratio compares slices taken a
    // fraction of a second apart; the order turns by one each round, so none is always first or last.
    const order = flavours.map((_, i) => flavours[(i + round - 1) % flavours.length]!)
    environment.coreShares.push(await coreShare())
    const ms = await measureRound(
      order.map((flavour) => variant(runtime, flavour)),
      options
    )
    for (const [i, m] of ms.entries()) {
      const v = variant(runtime, order[i]!)
      const key = `${runtime}/${v.flavour}`
      measurements[key] = [...(measurements[key] ?? []), m]
      const mem = m.bytesPerIdleConnection === null ? 'n/a' : (m.bytesPerIdleConnection / 1024).toFixed(1)
      console.log(
        `  round ${round} ${runtime} (core share ${environment.coreShares.at(-1)!.toFixed(2)}) ${v.label}: echo ${Math.round(m.echo.messagesPerSecond).toLocaleString('en')} msg/s ` +
          `(${pct(m.echo.serverCpuMicrosPerMessage)} µs/msg, server CPU ${pct(m.echo.serverUtilisation)}, ` +
          `${pct(m.echo.idleUtilisation ?? null)} in the others' slices, load generator ${pct(m.echo.loadUtilisation)}); ` +
          `1×1 p50 ${m.latency?.p50Micros?.toFixed(0)} µs p99 ${m.latency?.p99Micros?.toFixed(0)} µs; ` +
          `fan-out ${Math.round(m.fanout?.messagesPerSecond ?? 0).toLocaleString('en')} deliveries/s ` +
          `(${pct(m.fanout?.serverCpuMicrosPerMessage ?? null)} µs each, server CPU ${pct(m.fanout?.serverUtilisation ?? null)}, ` +
          `${pct(m.fanout?.idleUtilisation ?? null)} in the others' slices, load generator ` +
          `${pct(m.fanout?.loadUtilisation ?? null)}); ${mem} KiB/conn`
      )
    }
  }
}
environment.loadAfter = loadavg()[0]!

const saved: Results = summarize({ environment, options, rounds, runtimes: chosen, quick, measurements })
mkdirSync(reports, { recursive: true })
writeFileSync(`${reports}bench.json`, `${JSON.stringify(saved, null, 2)}\n`)
// A quick run is a smoke check of the numbers, and a run with --out an experiment: neither replaces the published
// results.
const out = values.out ? `${resolve(values.out)}/` : quick ? reports : results
const readme = !quick && !values.out && chosen.length === runtimes.length
await publish(saved, { readme, dir: out })
console.log(
  `\nwritten to reports/bench/bench.json${out === reports ? '' : ` and ${out}`}${readme ? ' and the READMEs' : ''}`
)
