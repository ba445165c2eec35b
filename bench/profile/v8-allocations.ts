// What a Node or Deno server allocates per WebSocket upgrade, garbage included: V8's sampling heap profiler over N
// upgrades (kept open), summed by function, per upgrade. Transient garbage matters for the bench's memory figure:
// the heap it grows stays resident after collection.
//   node --import tsx profile/v8-allocations.ts node raw honokit    (N=2000 by default; node bundles first)
import { prepare, type Runtime } from '../src/variants.ts'
import { openIdle, startInspected } from './inspector.ts'

const N = Number(process.env.N ?? 2000)

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: ProfileNode[]
}

const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
if (runtime === 'node') await prepare()
for (const name of names) {
  const { server, inspector: inspect } = await startInspected(runtime, name)
  try {
    const open = (n: number) => openIdle(server.port, n)
    for (const s of await open(200)) s.destroy()
    await inspect.call('HeapProfiler.enable')
    await inspect.call('HeapProfiler.startSampling', {
      samplingInterval: 256,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    const sockets = await open(N)
    const { profile } = await inspect.call('HeapProfiler.stopSampling')
    const byFunction = new Map<string, number>()
    let total = 0
    const walk = (node: ProfileNode) => {
      const f = node.callFrame
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize)
      total += node.selfSize
      for (const c of node.children) walk(c)
    }
    walk(profile.head)
    console.log(`${runtime}-${name}: ${(total / N).toFixed(0)} B allocated per upgrade`)
    for (const [k, bytes] of [...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(process.env.TOP ?? 25)))
      console.log(`  ${(bytes / N).toFixed(0).padStart(6)} B  ${k}`)
    for (const s of sockets) s.destroy()
  } finally {
    inspect.close()
    await server.stop()
  }
}
