// Where a Node or Deno server's memory per idle connection goes: V8 heap snapshots taken over the inspector protocol
// before and after N idle connections, their difference per connection by kind and class. Not part of `npm run
// bench`; the bench's RSS figure stays the reference, the breakdown is the point.
//   node --import tsx profile/v8-memory.ts node raw honokit hono crossws    (N=2000 by default; node bundles first)
//   node --import tsx profile/v8-memory.ts deno raw honokit
import { prepare, type Runtime } from '../src/variants.ts'
import { type Inspector, openIdle, startInspected } from './inspector.ts'

const N = Number(process.env.N ?? 2000)
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Totals {
  bytes: Map<string, number>
  counts: Map<string, number>
  total: number
  /** `process.memoryUsage()` (Node) or `Deno.memoryUsage()` after the snapshot's collection. */
  usage: Record<string, number>
}

/** Takes a heap snapshot (which collects garbage first), summed by kind and class. */
async function snapshot(inspector: Inspector): Promise<Totals> {
  const chunks: string[] = []
  inspector.on((msg) => {
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params.chunk)
  })
  await inspector.call('HeapProfiler.enable')
  await inspector.call('HeapProfiler.collectGarbage')
  await inspector.call('HeapProfiler.takeHeapSnapshot')
  await inspector.call('HeapProfiler.collectGarbage')
  const usage = await inspector.call('Runtime.evaluate', {
    expression: `JSON.stringify(typeof Deno === 'object' ? Deno.memoryUsage() : process.memoryUsage())`,
  })
  const snap = JSON.parse(chunks.join(''))
  chunks.length = 0
  const fields: string[] = snap.snapshot.meta.node_fields
  const types: string[] = snap.snapshot.meta.node_types[0]
  const width = fields.length
  const [t, n, s] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number]
  const totals: Totals = {
    bytes: new Map(),
    counts: new Map(),
    total: 0,
    usage: JSON.parse(usage.result.value),
  }
  const nodes: number[] = snap.nodes
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + t]!]!
    const name: string = snap.strings[nodes[i + n]!]
    const key =
      type === 'object' || type === 'closure' || type === 'hidden' || type === 'object shape'
        ? `${type}:${name.slice(0, 60)}`
        : type
    totals.bytes.set(key, (totals.bytes.get(key) ?? 0) + nodes[i + s]!)
    totals.counts.set(key, (totals.counts.get(key) ?? 0) + 1)
    totals.total += nodes[i + s]!
  }
  return totals
}

const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
if (runtime === 'node') await prepare()
for (const name of names) {
  const { server, inspector } = await startInspected(runtime, name)
  try {
    for (const sock of await openIdle(server.port, 100)) sock.destroy()
    await pause(300)
    await snapshot(inspector)
    const a = await snapshot(inspector)
    const sockets = await openIdle(server.port, N)
    await pause(500)
    const b = await snapshot(inspector)
    const usage = Object.keys(b.usage)
      .map((k) => `${k} ${((b.usage[k]! - a.usage[k]!) / N).toFixed(0)}`)
      .join(', ')
    console.log(
      `${runtime}-${name}: snapshot ${((b.total - a.total) / N).toFixed(0)} B/conn; memoryUsage B/conn: ${usage}`
    )
    const rows = [...b.bytes.keys()]
      .map(
        (k) =>
          [
            k,
            (b.bytes.get(k)! - (a.bytes.get(k) ?? 0)) / N,
            (b.counts.get(k)! - (a.counts.get(k) ?? 0)) / N,
          ] as const
      )
      .filter(([, bytes]) => Math.abs(bytes) >= 4)
      .sort((x, y) => y[1] - x[1])
    for (const [k, bytes, count] of rows)
      console.log(`  ${bytes.toFixed(0).padStart(6)} B ${count.toFixed(2).padStart(6)}  ${k}`)
    for (const sock of sockets) sock.destroy()
  } finally {
    inspector.close()
    await server.stop()
  }
}
