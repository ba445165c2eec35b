// Where a Node or Deno server's memory per idle connection goes: V8 heap snapshots taken over the inspector protocol
// before and after N idle connections, their difference per connection by kind and class. Not part of `npm run
// bench`; the bench's RSS figure stays the reference, the breakdown is the point.
//   node --import tsx profile/v8-memory.ts node raw honokit hono crossws    (N=2000 by default; node bundles first)
//   node --import tsx profile/v8-memory.ts deno raw honokit
import { startServer } from '@honokit/ws-conformance/runner'
import { WebSocket } from 'ws'
import { handshake } from '../src/frames.ts'
import { prepare, type Runtime, variant } from '../src/variants.ts'

const N = Number(process.env.N ?? 2000)
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Totals {
  bytes: Map<string, number>
  counts: Map<string, number>
  total: number
  /** `process.memoryUsage()` (Node) or `Deno.memoryUsage()` after the snapshot's collection. */
  usage: Record<string, number>
}

/** Takes a heap snapshot (which collects garbage first) through the inspector at `url`, summed by kind and class. */
async function snapshot(url: string): Promise<Totals> {
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const chunks: string[] = []
  let id = 0
  const call = (method: string, params?: object) =>
    new Promise<any>((resolve) => {
      const mine = ++id
      const onMessage = (raw: Buffer) => {
        const msg = JSON.parse(raw.toString())
        if (msg.id === mine) {
          socket.off('message', onMessage)
          resolve(msg.result)
        }
      }
      socket.on('message', onMessage)
      socket.send(JSON.stringify({ id: mine, method, params }))
    })
  socket.on('message', (raw: Buffer) => {
    const msg = JSON.parse(raw.toString())
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params.chunk)
  })
  await call('HeapProfiler.enable')
  await call('HeapProfiler.collectGarbage')
  await call('HeapProfiler.takeHeapSnapshot')
  await call('HeapProfiler.collectGarbage')
  const usage = await call('Runtime.evaluate', {
    expression: `JSON.stringify(typeof Deno === 'object' ? Deno.memoryUsage() : process.memoryUsage())`,
  })
  socket.close()
  const text = chunks.join('')
  const snap = JSON.parse(text)
  const fields: string[] = snap.snapshot.meta.node_fields
  const types: string[] = snap.snapshot.meta.node_types[0]
  const width = fields.length
  const [t, n, s] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f))
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
  const command = [...variant(runtime, name as never).command]
  command.splice(runtime === 'node' ? 1 : 2, 0, '--inspect=127.0.0.1:0')
  const server = await startServer(command, { cwd: new URL('..', import.meta.url).pathname })
  try {
    const inspector = server.fullOutput().match(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/)?.[0]
    if (!inspector) throw new Error(`no inspector address in the server's output:\n${server.output()}`)
    const open = async (n: number, path = '/ws') => {
      const out = []
      for (let i = 0; i < n; i += 100)
        out.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(100, n - i) }, () => handshake(server.port, path))
          ))
        )
      return out.map((h) => h.socket)
    }
    for (const sock of await open(100)) sock.destroy()
    await pause(300)
    await snapshot(inspector)
    const a = await snapshot(inspector)
    const sockets = await open(N)
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
    await server.stop()
  }
}
