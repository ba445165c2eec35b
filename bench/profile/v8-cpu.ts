// Where a Node or Deno server's CPU goes under the echo load: V8's sampling CPU profiler over the inspector while the
// bench's load generator runs, self time summed by function. Not part of `npm run bench`.
//   node --import tsx profile/v8-cpu.ts deno raw honokit hono    (node bundles first; MODE=fanout for fan-out)
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import { WebSocket } from 'ws'
import { bunBinary, prepare, type Runtime, variant } from '../src/variants.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
}

const loadgen = fileURLToPath(new URL('../src/loadgen.ts', import.meta.url))
const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
if (runtime === 'node') await prepare()
for (const name of names) {
  const command = [...variant(runtime, name as never).command]
  command.splice(runtime === 'node' ? 1 : 2, 0, '--inspect=127.0.0.1:0')
  const server = await startServer(command, { cwd: fileURLToPath(new URL('..', import.meta.url)) })
  try {
    const address = server.fullOutput().match(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/)?.[0]
    if (!address) throw new Error(`no inspector address in the server's output:\n${server.output()}`)
    const socket = new WebSocket(address)
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
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
    await call('Profiler.enable')
    await call('Profiler.setSamplingInterval', { interval: 100 })
    await call('Profiler.start')
    const options = {
      mode: 'echo',
      port: server.port,
      connections: 64,
      window: 32,
      payloadBytes: 64,
      warmupMs: 300,
      measureMs: 1500,
    }
    const out = execFileSync(bunBinary, [loadgen, JSON.stringify(options)], { encoding: 'utf8' })
    const { profile } = await call('Profiler.stop')
    socket.close()
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
    await server.stop()
  }
}
