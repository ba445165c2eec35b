// Echo with the servers compared in ONE Bun or Deno process, each on its own port, in turns of 250 ms slices: what a
// fresh process's own speed (±10 % for its whole life, bench/README.md) does to every server of the process alike.
// R rounds, a fresh process each, the order rotated; prints each server's median ratio to the first one named, and
// the range.
//   node --import tsx profile/same-process.ts bun raw floor honokit    (servers/<runtime>-<name>.ts, the bench's own;
//   node --import tsx profile/same-process.ts deno raw honokit hono    R=12, SECONDS=1.5)
// MODE=fanout compares the fan-out load instead (500 subscribers). Bun's `floor` is the least per-message work Hono's
// API asks for, without honokit (same-process/bun-floor.ts; echo only).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import type { LoadgenOptions, LoadgenResult } from '../src/loadgen-types.ts'
import { bunBinary, denoBinary, pinned, type Runtime } from '../src/variants.ts'

const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
const R = Number(process.env.R ?? 12)
const bench = fileURLToPath(new URL('..', import.meta.url))
const loadgen = fileURLToPath(new URL('../src/loadgen.ts', import.meta.url))
const serve = fileURLToPath(new URL('./same-process/serve.ts', import.meta.url))
const cores = availableParallelism()
// The bench's servers, and bun-floor.ts beside serve.ts.
const fileOf = (name: string) => {
  const own = fileURLToPath(new URL(`./same-process/${runtime}-${name}.ts`, import.meta.url))
  return existsSync(own) ? own : fileURLToPath(new URL(`../servers/${runtime}-${name}.ts`, import.meta.url))
}
/** A port free now, for the servers after the first (the first gets PORT from startServer). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
const rates = new Map(names.map((name) => [name, [] as number[]]))
for (let r = 0; r < R; r++) {
  const command =
    runtime === 'deno'
      ? [denoBinary, 'run', '--allow-net=127.0.0.1', '--allow-env=PORT,PORTS,VARIANTS', '--allow-read', serve]
      : [bunBinary, 'run', serve]
  const others: number[] = []
  for (let i = 1; i < names.length; i++) others.push(await freePort())
  const server = await startServer(pinned(1, command, cores), {
    cwd: bench,
    env: { VARIANTS: names.map(fileOf).join(','), PORTS: others.join(','), DENO_NO_UPDATE_CHECK: '1' },
  })
  try {
    const ports = [server.port, ...others]
    const order = names.map((_, i) => (i + r) % names.length)
    const fanout = process.env.MODE === 'fanout'
    const o: LoadgenOptions = {
      mode: fanout ? 'fanout' : 'echo',
      connections: fanout ? 500 : 64,
      window: fanout ? 64 : 32,
      payloadBytes: 64,
      warmupMs: 500,
      measureMs: Number(process.env.SECONDS ?? 1.5) * 1000,
      servers: order.map((i) => ({ port: ports[i]! })),
    }
    const [bin, ...args] = pinned(0, [bunBinary, loadgen, JSON.stringify(o)], cores)
    const results = JSON.parse(execFileSync(bin!, args, { cwd: bench, encoding: 'utf8' })) as LoadgenResult[]
    for (const [k, result] of results.entries()) rates.get(names[order[k]!]!)!.push(result.messagesPerSecond)
  } finally {
    await server.stop()
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const first = rates.get(names[0]!)!
for (const name of names) {
  const ratios = rates.get(name)!.map((x, i) => x / first[i]!)
  console.log(
    `${runtime}-${name}: ${median(rates.get(name)!).toFixed(0)} msg/s, ÷ ${names[0]} ${median(ratios).toFixed(3)} ` +
      `(${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
  )
}
