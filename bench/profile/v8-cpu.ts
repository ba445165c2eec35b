// Where a Node or Deno server's CPU goes under the echo load: V8's sampling CPU profiler over the inspector while the
// bench's load generator runs, self time summed by function. Not part of `npm run bench`.
//   node --import tsx profile/v8-cpu.ts deno raw honokit hono    (node bundles first; MODE=fanout for fan-out)
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { bunBinary, prepare, type Runtime } from '../src/variants.ts'
import { startInspected } from './inspector.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
}

const loadgen = fileURLToPath(new URL('../src/loadgen.ts', import.meta.url))
const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
if (runtime === 'node') await prepare()
for (const name of names) {
  const { server, inspector } = await startInspected(runtime, name)
  const call = inspector.call
  try {
    await call('Profiler.enable')
    await call('Profiler.setSamplingInterval', { interval: 100 })
    await call('Profiler.start')
    const fanout = process.env.MODE === 'fanout'
    const options = {
      mode: fanout ? 'fanout' : 'echo',
      port: server.port,
      connections: fanout ? 500 : 64,
      window: fanout ? 64 : 32,
      payloadBytes: 64,
      warmupMs: 300,
      measureMs: 1500,
    }
    const out = execFileSync(bunBinary, [loadgen, JSON.stringify(options)], { encoding: 'utf8' })
    const { profile } = await call('Profiler.stop')
    const total = profile.nodes.reduce((n: number, x: ProfileNode) => n + x.hitCount, 0)
    const self = new Map<string, number>()
    for (const node of profile.nodes as ProfileNode[]) {
      const f = node.callFrame
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`
      self.set(key, (self.get(key) ?? 0) + node.hitCount)
    }
    console.log(
      `${runtime}-${name}: ${JSON.parse(out).messagesPerSecond.toFixed(0)} msg/s under the profiler`
    )
    for (const [k, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30)))
      console.log(`  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${k}`)
  } finally {
    inspector.close()
    await server.stop()
  }
}
