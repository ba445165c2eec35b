// Echo only, as `npm run bench` measures it (64 connections × 32 in flight, 64-byte text), for A/B comparisons while
// working on the message path: R rounds, each server on a fresh pinned process in every round, the servers of a round
// in turns of 250 ms slices, the order rotated per round; prints the median and range of each server's per-round
// ratio to the first one named, by msg/s and by server CPU µs per message.
//   node --import tsx profile/echo.ts bun raw honokit crossws    (servers/<runtime>-<name>.ts; R=6, SECONDS=1.5;
//   MODE=fanout compares the fan-out load instead, 500 subscribers, after the echo run)
import { measureRound } from '../src/measure.ts'
import { prepare, type Runtime, variant } from '../src/variants.ts'

const R = Number(process.env.R ?? 6)
const measureMs = Number(process.env.SECONDS ?? 1.5) * 1000
const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
if (runtime === 'node') await prepare()
const rate = new Map<string, number[]>(names.map((n) => [n, []]))
const micros = new Map<string, number[]>(names.map((n) => [n, []]))
for (let r = 0; r < R; r++) {
  // The servers of a round take turns in slices, as in `npm run bench` (src/measure.ts).
  const order = names.map((_, i) => names[(i + r) % names.length]!)
  const round = await measureRound(
    order.map((name) => variant(runtime, name as never)),
    {
      connections: 64,
      window: 32,
      payloadBytes: 64,
      warmupMs: 500,
      measureMs,
      latencyMs: 0,
      subscribers: process.env.MODE === 'fanout' ? 500 : 0,
      fanoutWindow: 64,
      idle: Number(process.env.IDLE ?? 0),
    }
  )
  round.forEach((m, i) => {
    const load = process.env.MODE === 'fanout' ? m.fanout! : m.echo
    rate.get(order[i]!)!.push(load.messagesPerSecond)
    micros.get(order[i]!)!.push(load.serverCpuMicrosPerMessage ?? Number.NaN)
  })
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ratios = (m: Map<string, number[]>, name: string, invert: boolean) =>
  m.get(name)!.map((x, i) => (invert ? m.get(names[0]!)![i]! / x : x / m.get(names[0]!)![i]!))
for (const name of names) {
  const byRate = ratios(rate, name, false)
  const byCpu = ratios(micros, name, true)
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`
  console.log(
    `${runtime}-${name}: ${median(rate.get(name)!).toFixed(0)} msg/s, ÷ ${names[0]} ${median(byRate).toFixed(2)} ` +
      `(${range(byRate)}); by CPU µs/msg ${median(byCpu).toFixed(2)} (${range(byCpu)})`
  )
}
