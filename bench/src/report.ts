// Turns the measurements of every round into the published results: medians and ranges of per-round ratios to the
// raw runtime, the tables, the goals of issue 14, a chart (SVG, rendered to PNG by headless Chromium), and the
// generated block of the root README and bench/README.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
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

/** What honokit must reach, as a ratio to the raw runtime (issue 14); memory is an upper bound. */
export const goals = {
  echo: { node: 0.95, bun: 0.95, deno: 0.98 },
  fanout: { node: 1.0, bun: 0.95, deno: 1.0 },
  memory: { node: 1.05, bun: 1.25, deno: 1.15 },
} as const

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const stat = (xs: (number | null | undefined)[]): Stat | null => {
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

/** The results as markdown: the throughput table, the latency and memory table, and the goals. */
export function markdown(r: Results, chartPath: string): string {
  const e = r.environment
  const out: string[] = []
  out.push(
    `Run of ${e.date}: ${r.rounds} round${r.rounds > 1 ? 's' : ''}${r.quick ? ' (`--quick`)' : ''}, ` +
      `${r.options.measureMs / 1000} s per measurement; Node ${e.node}, Bun ${e.bun}, Deno ${e.deno}; ` +
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

const colours: Record<Exclude<Flavour, 'raw'>, string> = {
  honokit: '#e36002',
  hono: '#6b7280',
  crossws: '#2563eb',
}
const names: Record<Exclude<Flavour, 'raw'>, string> = {
  honokit: 'honokit',
  hono: "Hono's helper",
  crossws: 'crossws',
}

/** Three panels (echo, fan-out, memory), one group of bars per runtime, a line at the raw runtime (1.0). */
export function chartSvg(r: Results): string {
  const panels = [
    { title: 'echo ÷ raw (higher is better)', key: 'echoRatio', goal: goals.echo },
    { title: 'fan-out ÷ raw (higher is better)', key: 'fanoutRatio', goal: goals.fanout },
    { title: 'memory per idle conn. ÷ raw (lower is better)', key: 'memoryRatio', goal: goals.memory },
  ] as const
  const W = 340
  const H = 300
  const top = 50
  const bottom = 40
  const left = 36
  const plotH = H - top - bottom
  const peers = ['honokit', 'hono', 'crossws'] as const
  const parts: string[] = []
  panels.forEach((p, i) => {
    const x0 = i * W
    const values = r.rows.map((w) => (w[p.key] as Stat | null)?.median ?? 0)
    const max = Math.min(4, Math.max(1.2, ...values.map((v) => v * 1.12), ...Object.values(p.goal)))
    const y = (v: number) => top + plotH - (Math.min(v, max) / max) * plotH
    parts.push(
      `<text x="${x0 + W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="600">${p.title}</text>`
    )
    for (let t = 0; t <= max + 1e-9; t += max > 2 ? 1 : 0.25) {
      parts.push(
        `<line x1="${x0 + left}" x2="${x0 + W - 10}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e7eb"/>`,
        `<text x="${x0 + left - 4}" y="${y(t) + 4}" text-anchor="end" font-size="10" fill="#6b7280">${t.toFixed(2)}</text>`
      )
    }
    const groupW = (W - left - 10) / r.runtimes.length
    const barW = (groupW - 16) / peers.length
    r.runtimes.forEach((runtime, g) => {
      const gx = x0 + left + g * groupW + 8
      peers.forEach((f, b) => {
        const s = r.rows.find((w) => w.runtime === runtime && w.flavour === f)?.[p.key] as Stat | null
        const v = s?.median ?? 0
        const bx = gx + b * barW
        parts.push(
          `<rect x="${bx}" y="${y(v)}" width="${barW - 3}" height="${top + plotH - y(v)}" fill="${colours[f]}"/>`,
          `<text x="${bx + (barW - 3) / 2}" y="${y(v) - 4}" text-anchor="middle" font-size="9">${s ? v.toFixed(2) : 'n/a'}</text>`
        )
        if (s && r.rounds > 1)
          parts.push(
            `<line x1="${bx + (barW - 3) / 2}" x2="${bx + (barW - 3) / 2}" y1="${y(s.min)}" y2="${y(s.max)}" stroke="#111" stroke-width="1"/>`
          )
      })
      const goal = p.goal[runtime]
      parts.push(
        `<line x1="${gx - 2}" x2="${gx + barW}" y1="${y(goal)}" y2="${y(goal)}" stroke="#dc2626" stroke-width="2.5"/>`,
        `<text x="${gx + groupW / 2 - 8}" y="${H - bottom + 18}" text-anchor="middle" font-size="12">${runtime}</text>`
      )
    })
    parts.push(
      `<line x1="${x0 + left}" x2="${x0 + W - 10}" y1="${y(1)}" y2="${y(1)}" stroke="#111" stroke-dasharray="4 3"/>`
    )
  })
  const legend = [
    ...peers.map((f) => ({ colour: colours[f], label: names[f], line: false })),
    { colour: '#111', label: 'raw runtime = 1.00', line: true },
    { colour: '#dc2626', label: 'honokit goal', line: true },
  ]
  legend.forEach((l, i) => {
    const lx = 40 + i * 190
    parts.push(
      l.line
        ? `<line x1="${lx}" x2="${lx + 18}" y1="${H + 6}" y2="${H + 6}" stroke="${l.colour}" stroke-width="2.5"/>`
        : `<rect x="${lx}" y="${H}" width="14" height="12" fill="${l.colour}"/>`,
      `<text x="${lx + 24}" y="${H + 10}" font-size="12">${l.label}</text>`
    )
  })
  const width = W * panels.length
  const height = H + 24
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Helvetica, Arial, sans-serif"><title>honokit, Hono's helpers and crossws as a ratio to the raw ` +
    `runtime: echo, fan-out, memory per idle connection</title><rect width="100%" height="100%" fill="#fff"/>` +
    `${parts.join('')}</svg>\n`
  )
}

/** Renders the SVG to PNG with the system's Chromium (Debian `chromium`); false when none is installed. */
async function renderPng(svg: string, file: string): Promise<boolean> {
  const executablePath = '/usr/bin/chromium'
  if (!existsSync(executablePath)) return false
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 })
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`)
    await page.locator('svg').screenshot({ path: file })
    return true
  } finally {
    await browser.close()
  }
}

const START = '<!-- bench:results:start (generated by `npm run bench`; edit bench/src/report.ts instead) -->'
const END = '<!-- bench:results:end -->'

function replaceBlock(file: string, block: string) {
  const text = readFileSync(file, 'utf8')
  const a = text.indexOf(START)
  const b = text.indexOf(END)
  if (a < 0 || b < a) throw new Error(`${file} has no generated bench block (${START} … ${END})`)
  writeFileSync(file, `${text.slice(0, a + START.length)}\n${block}\n${text.slice(b)}`)
}

/** Writes results.json, results.md, chart.svg and chart.png into `dir`; with `readme`, the READMEs' blocks too. */
export async function publish(r: Results, o: { readme: boolean; dir?: string }) {
  const bench = fileURLToPath(new URL('..', import.meta.url))
  const dir = o.dir ?? `${bench}results/`
  mkdirSync(dir, { recursive: true })
  writeFileSync(`${dir}results.json`, `${JSON.stringify(r, null, 2)}\n`)
  const svg = chartSvg(r)
  writeFileSync(`${dir}chart.svg`, svg)
  const png = await renderPng(svg, `${dir}chart.png`).catch((e: Error) => {
    console.warn(`chart.png not rendered: ${e.message}`)
    return false
  })
  const md = markdown(r, 'chart.png')
  writeFileSync(`${dir}results.md`, `${md}\n`)
  console.log(`\n${md}`)
  if (!png) console.warn('no /usr/bin/chromium: chart.svg written, chart.png not updated')
  if (o.readme) {
    replaceBlock(`${bench}README.md`, markdown(r, 'results/chart.png'))
    replaceBlock(`${bench}../README.md`, markdown(r, 'bench/results/chart.png'))
  }
}
