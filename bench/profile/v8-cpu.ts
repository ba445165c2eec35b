// Where a Node or Deno server's CPU goes under the echo load: V8's sampling CPU profiler over the inspector while the
// bench's load generator runs, self time summed by function. Not part of `npm run bench`.
//   node --import tsx profile/v8-cpu.ts deno raw honokit hono    (node bundles first; MODE=fanout for fan-out)
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { bunBinary, prepare, type Runtime } from '../src/variants.ts'
import { type CallFrame, printSelfTime, profileLoad } from './cpu-report.ts'
import { startInspected } from './inspector.ts'

interface ProfileNode {
  callFrame: CallFrame
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
    const out = execFileSync(bunBinary, [loadgen, JSON.stringify(profileLoad(server.port))], {
      encoding: 'utf8',
    })
    const { profile } = await call('Profiler.stop')
    printSelfTime(
      `${runtime}-${name}: ${JSON.parse(out).messagesPerSecond.toFixed(0)} msg/s under the profiler`,
      (profile.nodes as ProfileNode[]).map((n) => [n.callFrame, n.hitCount])
    )
  } finally {
    inspector.close()
    await server.stop()
  }
}
