// What a Node or Deno server allocates per WebSocket upgrade, garbage included: V8's sampling heap profiler over N
// upgrades (kept open), summed by function, per upgrade. Transient garbage matters for the bench's memory figure:
// the heap it grows stays resident after collection.
//   node --import tsx profile/v8-allocations.ts node raw honokit    (N=2000 by default; node bundles first)
import { startServer } from '@honokit/ws-conformance/runner'
import { WebSocket } from 'ws'
import { handshake } from '../src/frames.ts'
import { prepare, type Runtime, variant } from '../src/variants.ts'

const N = Number(process.env.N ?? 2000)

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: ProfileNode[]
}

async function inspector(url: string) {
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  let id = 0
  const call = (method: string, params?: object) =>
    new Promise<any>((resolve) => {
      const mine = ++id
      const onMessage = (raw: Buffer) => {
        const msg = JSON.parse(raw.toString())
        if (msg.id === mine) {
          socket.off('message', onMessage)
          resolve(msg.result ?? msg.error)
        }
      }
      socket.on('message', onMessage)
      socket.send(JSON.stringify({ id: mine, method, params }))
    })
  return { call, close: () => socket.close() }
}

const [runtime, ...names] = process.argv.slice(2) as [Runtime, ...string[]]
if (runtime === 'node') await prepare()
for (const name of names) {
  const command = [...variant(runtime, name as never).command]
  command.splice(runtime === 'node' ? 1 : 2, 0, '--inspect=127.0.0.1:0')
  const server = await startServer(command, { cwd: new URL('..', import.meta.url).pathname })
  try {
    const address = server.fullOutput().match(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/)?.[0]
    if (!address) throw new Error(`no inspector address in the server's output:\n${server.output()}`)
    const open = async (n: number) => {
      const out = []
      for (let i = 0; i < n; i += 100)
        out.push(
          ...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => handshake(server.port))))
        )
      return out.map((h) => h.socket)
    }
    for (const s of await open(200)) s.destroy()
    const inspect = await inspector(address)
    await inspect.call('HeapProfiler.enable')
    await inspect.call('HeapProfiler.startSampling', {
      samplingInterval: 256,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    const sockets = await open(N)
    const { profile } = await inspect.call('HeapProfiler.stopSampling')
    inspect.close()
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
    await server.stop()
  }
}
