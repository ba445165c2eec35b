// Where a Bun server's memory per idle connection goes: RSS, JSC heap size and capacity, and bytes per class from a
// heap snapshot, each as a difference over N idle connections. Not part of `npm run bench`; its RSS includes some of
// what the snapshots allocate, so the bench's memory figure stays the reference, the class breakdown is the point.
//   node --import tsx profile/bun-memory.ts raw honokit hono crossws    (servers/bun-<name>.ts; N=2000 by default)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import { bunBinary } from '../src/variants.ts'
import { openIdle } from './inspector.ts'

const bench = fileURLToPath(new URL('..', import.meta.url))
const preload = fileURLToPath(new URL('./heap-stats-preload.ts', import.meta.url))
const N = Number(process.env.N ?? 2000)
const dir = mkdtempSync(join(tmpdir(), 'heap-stats-'))
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Stats = Record<string, number> & { bytes: Record<string, number>; counts: Record<string, number> }

for (const name of process.argv.slice(2)) {
  const server = await startServer([bunBinary, '--preload', preload, `servers/bun-${name}.ts`], {
    cwd: bench,
    env: { HEAP_STATS_DIR: dir },
  })
  const pid = server.child.pid!
  let taken = 0
  const snap = async (): Promise<Stats> => {
    const file = join(dir, `${pid}-${taken++}.json`)
    process.kill(pid, 'SIGUSR2')
    for (let i = 0; i < 100 && !existsSync(file); i++) await pause(50)
    await pause(100)
    return JSON.parse(readFileSync(file, 'utf8'))
  }
  const open = (n: number) => openIdle(server.port, n)
  try {
    for (const s of await open(100)) s.destroy()
    await pause(300)
    // A first snapshot grows the allocator's pools for the snapshots themselves, so they do not count below.
    await snap()
    const a = await snap()
    const sockets = await open(N)
    await pause(500)
    const b = await snap()
    const per = (k: string) => ((b[k]! - a[k]!) / N).toFixed(0)
    console.log(
      `${name}: RSS ${per('rss')} B/conn, JS heap ${per('heapSize')} B/conn (capacity ${per('heapCapacity')}, extra memory ${per('extraMemorySize')}), ` +
        `${per('objectCount')} objects/conn`
    )
    const classes = Object.keys(b.bytes)
      .map(
        (c) => [c, (b.bytes[c]! - (a.bytes[c] ?? 0)) / N, (b.counts[c]! - (a.counts[c] ?? 0)) / N] as const
      )
      .filter(([, bytes]) => Math.abs(bytes) >= Number(process.env.MIN ?? 8))
      .sort((x, y) => y[1] - x[1])
    console.log(
      `  ${classes.map(([c, bytes, count]) => `${c} ${bytes.toFixed(0)} B (${count.toFixed(1)})`).join(', ')}`
    )
    for (const s of sockets) s.destroy()
  } finally {
    await server.stop()
  }
}
rmSync(dir, { recursive: true, force: true })
