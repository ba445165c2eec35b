// `npm run bench:testing` (or `pnpm --filter @honokit/ws-testing bench [-- --cycles 1000 --rounds 5]`): the cost of
// connect / send / receive / close cycles in-process (connect() on a test helper) next to the same cycles through a
// real Node socket (serveOnFreePort with @honokit/ws-node, a `ws` client). A report, not a timed test: nothing fails.
import { cpus } from 'node:os'
import type { UpgradeWebSocket } from '@honokit/ws-core'
import { createNodeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'
import WebSocket from 'ws'
import { connect, createTestWebSocket } from '../src/index.ts'
import { serveOnFreePort } from '../src/serve.ts'

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const CYCLES = flag('--cycles', 1000)
const ROUNDS = flag('--rounds', 5)
const WARMUP = 200

/** The same echo route on any helper instance. */
const echoApp = (helper: { upgradeWebSocket: UpgradeWebSocket<any, any> }) =>
  new Hono().get(
    '/ws',
    helper.upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) }))
  )

const memoryApp = echoApp(createTestWebSocket())
async function inProcessCycle(): Promise<void> {
  const client = await connect(memoryApp, '/ws')
  client.send('ping')
  if ((await client.next()) !== 'ping') throw new Error('in-process echo mismatch')
  await client.close(1000)
}

const server = await serveOnFreePort(echoApp(createNodeWebSocket()))
function socketCycle(): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/ws`)
    ws.once('error', reject)
    ws.once('open', () => ws.send('ping'))
    ws.once('message', (data) => {
      if (String(data) !== 'ping') reject(new Error('socket echo mismatch'))
      ws.close(1000)
    })
    ws.once('close', () => resolve())
  })
}

async function time(cycle: () => Promise<void>, n: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < n; i++) await cycle()
  return performance.now() - start
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

try {
  await time(inProcessCycle, WARMUP)
  await time(socketCycle, WARMUP)
  const memory: number[] = []
  const socket: number[] = []
  // Alternated, so a slower moment of a shared machine hits both sides alike.
  for (let r = 0; r < ROUNDS; r++) {
    memory.push(await time(inProcessCycle, CYCLES))
    socket.push(await time(socketCycle, CYCLES))
  }
  const m = median(memory)
  const s = median(socket)
  const row = (label: string, ms: number) =>
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms   ${((ms * 1000) / CYCLES).toFixed(0).padStart(6)} µs/cycle`
  console.log(
    `${CYCLES} connect / send / receive / close cycles, median of ${ROUNDS} rounds (after ${WARMUP} warm-up cycles)`
  )
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`)
  console.log(row('in-process (@honokit/ws-testing)', m))
  console.log(row('real Node socket (ws-node + ws)', s))
  console.log(`in-process is ${(s / m).toFixed(1)}× faster`)
} finally {
  await server.stop()
}
