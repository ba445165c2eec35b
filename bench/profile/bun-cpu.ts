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
import { type CallFrame, printSelfTime, profileLoad } from './cpu-report.ts'

interface ProfileNode {
  id: number
  callFrame: CallFrame
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
    const [bin, ...args] = pinned(0, [bunBinary, loadgen, JSON.stringify(profileLoad(server.port))], cores)
    const out = execFileSync(bin!, args, { encoding: 'utf8' })
    // The preload exits the server on SIGUSR2, and Bun writes the profile as it exits.
    process.kill(server.child.pid!, 'SIGUSR2')
    for (let i = 0; i < 100 && readdirSync(dir).length === 0; i++) await pause(50)
    await pause(300)
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error(`no profile written in ${dir}:\n${server.output()}`)
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
    printSelfTime(
      `bun-${name}: ${JSON.parse(out).messagesPerSecond.toFixed(0)} msg/s under the profiler`,
      profile.samples.map((id) => [byId.get(id)!, 1])
    )
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
