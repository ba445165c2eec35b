// `npm run bench:cluster`: the Redis broker's cost and correctness under load, on this machine. Three instances
// (Node, Bun, Deno) share a redis-server; 300 clients spread over them, 10 per topic, each topic with members on
// every instance; 10,000 publishes in total. Each delivery is checked: exactly once, in order per publisher.
// Run twice per setup: paced (a steady 2,000 publishes/s, for end-to-end latency) and as fast as possible (for
// throughput); the same load against one Node instance without a broker is the baseline. Not part of `npm test`.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { freePort, type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import WebSocket from 'ws'
import { findRedis, startRedis } from '../test/fixtures/redis-server.ts'

const CLIENTS = 300
const PER_TOPIC = 10
const MESSAGES = 10_000
const PACED_RATE = 2000
const PHASE_TIMEOUT_MS = 60_000

const pkg = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const bun = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
const deno = join(dirname(require.resolve('deno/package.json')), 'deno')
const commands: Record<string, string[]> = {
  node: [process.execPath, '--import', 'tsx', 'test/fixtures/node-server.ts'],
  bun: [bun, 'run', 'test/fixtures/bun-server.ts'],
  deno: [
    deno,
    'run',
    '--allow-net=127.0.0.1',
    '--allow-env=PORT,REDIS_URL,REDIS_DEBUG_MAINTENANCE,REDIS_EMIT_DIAGNOSTICS',
    'test/fixtures/deno-server.ts',
  ],
}

interface Result {
  setup: string
  mode: 'paced' | 'burst'
  seconds: number
  delivered: number
  expected: number
  lost: number
  duplicated: number
  reordered: number
  p50: number
  p99: number
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!

async function run(setup: string, ports: number[], mode: 'paced' | 'burst', round: number): Promise<Result> {
  const topics = CLIENTS / PER_TOPIC
  const latencies = new Float64Array(MESSAGES * (PER_TOPIC - 1))
  let delivered = 0
  let duplicated = 0
  let reordered = 0
  let lastAt = 0
  // Per receiver: the next sequence number expected from each publisher of its topic.
  const expectedNext: Map<number, number>[] = []
  const seen: Set<string>[] = []
  let onDelivered: () => void = () => {}
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, (_, i) => {
      const port = ports[i % ports.length]!
      const topic = `r${round}-${mode}-t${Math.floor(i / PER_TOPIC) % topics}`
      expectedNext[i] = new Map()
      seen[i] = new Set()
      return new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?topic=${topic}`, { perMessageDeflate: false })
        ws.on('message', (data: Buffer) => {
          const text = data.toString()
          if (text === 'subscribed') return resolve(ws)
          const [from, seq, sentAt] = text.split(':').map(Number) as [number, number, number]
          const now = performance.now()
          const key = `${from}:${seq}`
          if (seen[i]!.has(key)) {
            duplicated++
            return
          }
          seen[i]!.add(key)
          const next = expectedNext[i]!.get(from) ?? 0
          if (seq !== next) reordered++
          expectedNext[i]!.set(from, seq + 1)
          if (delivered < latencies.length) latencies[delivered] = now - sentAt
          delivered++
          lastAt = now
          onDelivered()
        })
        ws.on('error', reject)
      })
    })
  )
  const expected = MESSAGES * (PER_TOPIC - 1)
  const done = new Promise<void>((resolve) => {
    onDelivered = () => delivered + duplicated >= expected && resolve()
  })
  const seqOf = new Array<number>(CLIENTS).fill(0)
  const sendOne = (k: number) => {
    const from = k % CLIENTS
    clients[from]!.send(`${from}:${seqOf[from]!++}:${performance.now()}`)
  }
  const started = performance.now()
  if (mode === 'burst') {
    for (let k = 0; k < MESSAGES; k++) {
      sendOne(k)
      if (k % 500 === 499) await new Promise((r) => setImmediate(r))
    }
  } else {
    let k = 0
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(MESSAGES, Math.round(((performance.now() - started) / 1000) * PACED_RATE))
        while (k < due) sendOne(k++)
        if (k >= MESSAGES) {
          clearInterval(timer)
          resolve()
        }
      }, 5)
    })
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, PHASE_TIMEOUT_MS))])
  // Time for a late duplicate to show up.
  await new Promise((r) => setTimeout(r, 500))
  for (const ws of clients) ws.terminate()
  const sorted = latencies.slice(0, Math.min(delivered, latencies.length)).sort()
  return {
    setup,
    mode,
    seconds: (lastAt - started) / 1000,
    delivered,
    expected,
    lost: expected - delivered,
    duplicated,
    reordered,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  }
}

async function main() {
  const redisServer = findRedis()
  if (!redisServer) throw new Error('redis-server is missing: apt-get install redis-server')
  const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 1
  const results: Result[] = []
  const servers: ServerProcess[] = []
  const redis = await startRedis(redisServer, await freePort())
  try {
    for (let round = 0; round < rounds; round++) {
      console.log(`round ${round + 1}: one Node instance, no broker`)
      const single = await startServer(commands.node!, { cwd: pkg, env: { REDIS_URL: '' } })
      servers.push(single)
      for (const mode of ['paced', 'burst'] as const)
        results.push(await run('1 instance (Node), no broker', [single.port], mode, round))
      await single.stop()
      console.log(`round ${round + 1}: Node + Bun + Deno through Redis`)
      const env = { REDIS_URL: redis.url, DENO_NO_UPDATE_CHECK: '1' }
      const cluster: ServerProcess[] = []
      for (const runtime of ['node', 'bun', 'deno']) {
        const s = await startServer(commands[runtime]!, { cwd: pkg, env })
        servers.push(s)
        cluster.push(s)
      }
      for (const mode of ['paced', 'burst'] as const)
        results.push(
          await run(
            '3 instances (Node, Bun, Deno) + Redis',
            cluster.map((s) => s.port),
            mode,
            round
          )
        )
      await Promise.all(cluster.map((s) => s.stop()))
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    await redis.kill()
  }
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
  console.log(
    `\n${CLIENTS} clients, ${PER_TOPIC} per topic, ${MESSAGES} publishes (${fmt(MESSAGES * (PER_TOPIC - 1))} deliveries expected per run)\n`
  )
  console.log(
    '| setup | run | delivered | lost | duplicated | out of order | p50 ms | p99 ms | publishes/s | deliveries/s |'
  )
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of results) {
    const label = r.mode === 'paced' ? `paced, ${fmt(PACED_RATE)}/s` : 'as fast as possible'
    console.log(
      `| ${r.setup} | ${label} | ${fmt(r.delivered)} | ${r.lost} | ${r.duplicated} | ${r.reordered} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${fmt(MESSAGES / r.seconds)} | ${fmt(r.delivered / r.seconds)} |`
    )
  }
  const bad = results.some((r) => r.lost || r.duplicated || r.reordered)
  process.exit(bad ? 1 : 0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
