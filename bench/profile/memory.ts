// Memory per idle connection only, as `npm run bench` measures it (RSS after GC, N idle connections), for quick
// comparisons while working on memory: R rounds of each server, each on a fresh pinned process.
//   node --import tsx profile/memory.ts node raw honokit    (R=5, N=2000 by default)
import { availableParallelism } from 'node:os'
import { startServer } from '@honokit/ws-conformance/runner'
import { memoryPerConnection } from '../src/measure.ts'
import { pinned, prepare, type Runtime, variant } from '../src/variants.ts'

const R = Number(process.env.R ?? 5)
const N = Number(process.env.N ?? 2000)
const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
if (runtime === 'node') await prepare()
const got = new Map<string, number[]>(names.map((n) => [n, []]))
for (let r = 0; r < R; r++)
  for (const name of names) {
    const v = variant(runtime, name as never)
    const server = await startServer(pinned(1, v.command, availableParallelism()), {
      cwd: new URL('..', import.meta.url).pathname,
      env: { DENO_NO_UPDATE_CHECK: '1' },
    })
    try {
      got.get(name)!.push((await memoryPerConnection(server.child.pid!, server.port, N))! / 1024)
    } finally {
      await server.stop()
    }
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const base = median(got.get(names[0]!)!)
for (const [name, xs] of got)
  console.log(
    `${runtime}-${name}: median ${median(xs).toFixed(2)} KiB/conn (÷ ${names[0]} ${(median(xs) / base).toFixed(2)}); ` +
      xs.map((x) => x.toFixed(2)).join(' ')
  )
