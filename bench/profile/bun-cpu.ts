// Where a Bun server's CPU goes under the echo load: Bun's own sampling profiler (`bun --cpu-prof`) while the bench's
// load generator runs, self time summed by function. The server is pinned to core 1 and the load generator to core 0,
// as in the bench; the profile is written when the server exits (on SIGUSR2, see bun-exit-preload.ts). Not part of
// `npm run bench`.
//   node --import tsx profile/bun-cpu.ts raw honokit    (servers/bun-<name>.ts; MODE=fanout for fan-out, TOP=30)
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import { bunBinary, pinned } from '../src/variants.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
}

const bench = fileURLToPath(new URL('..', import.meta.url))
const loadgen = fileURLToPath(new URL('../src/loadgen.ts', import.meta.url))
const preload = fileURLToPath(new URL('./bun-exit-preload.ts', import.meta.url))
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const cores = availableParallelism()

for (const name of process.argv.slice(2)) {
  const dir = mkdtempSync(join(tmpdir(), 'bun-cpu-'))
  const command = [bunBinary, '--preload', preload, '--cpu-prof', `--cpu-prof-dir=${dir}`]
  const server = await startServer(
    pinned(
      1,
      [...command, `--cpu-prof-interval=${process.env.INTERVAL ?? 1000}`, `servers/bun-${name}.ts`],
      cores
    ),
    { cwd: bench }
  )
  try {
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
    const [bin, ...args] = pinned(0, [bunBinary, loadgen, JSON.stringify(options)], cores)
    const out = execFileSync(bin!, args, { encoding: 'utf8' })
    // The preload exits the server on SIGUSR2, and Bun writes the profile as it exits.
    process.kill(server.child.pid!, 'SIGUSR2')
    for (let i = 0; i < 100 && readdirSync(dir).length === 0; i++) await pause(50)
    await pause(300)
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error(`no profile written in ${dir}:\n${server.output()}`)
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
    const byId = new Map(profile.nodes.map((n) => [n.id, n]))
    const self = new Map<string, number>()
    for (const id of profile.samples) {
      const f = byId.get(id)!.callFrame
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`
      self.set(key, (self.get(key) ?? 0) + 1)
    }
    const total = profile.samples.length
    console.log(`bun-${name}: ${JSON.parse(out).messagesPerSecond.toFixed(0)} msg/s under the profiler`)
    for (const [k, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30)))
      console.log(`  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${k}`)
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
