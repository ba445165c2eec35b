import assert from 'node:assert/strict'
import { within } from '../runner/client.ts'
import { type Scenario, type ScenarioContext, scenario } from '../runner/scenario.ts'
import { has, only, open, refused } from './helpers.ts'

const MiB = 1024 * 1024

interface Stats {
  connections: number
  subscribed: number
  tagged: number
  memory: number | null
}

/** What `/stats` filters by: subscribers of a `topic`, connections opened with `?tag=`. */
export interface StatsQuery {
  topic?: string
  tag?: string
}

async function stats(t: ScenarioContext, query: StatsQuery = {}): Promise<Stats> {
  const search = new URLSearchParams(query as Record<string, string>).toString()
  const res = await t.fetch(t.httpUrl(`/stats${search ? `?${search}` : ''}`))
  return (await res.json()) as Stats
}

/** Polls /stats until `done` holds; gives up before the scenario's own 10 s so the last stats are reported. */
export async function waitForStats(
  t: ScenarioContext,
  done: (s: Stats) => boolean,
  query: StatsQuery = {},
  ms = 8_000
) {
  const deadline = Date.now() + ms
  let last = await stats(t, query)
  while (!done(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25))
    last = await stats(t, query)
  }
  assert.ok(done(last), `stats never reached the expected state: ${JSON.stringify(last)}`)
  return last
}

async function tooBig(t: ScenarioContext, path: string, payload: string | Buffer) {
  const { client, id } = await open(t, path)
  client.ws.send(payload)
  const closed = await within(client.closed, 10_000, 'the close for the oversized message')
  const log = await t.waitForLog(id, has('close'))
  assert.equal(closed.code, 1009, 'close code the client saw')
  assert.equal(only(log, 'close')[0]?.code, 1009, 'close code onClose saw')
  assert.equal(only(log, 'message').length, 0, 'the oversized message reached onMessage')
  await t.assertServerAlive()
}

/** Opens and closes `n` connections tagged `tag`, `batch` at a time. */
async function churn(t: ScenarioContext, n: number, tag: string, batch = 50) {
  for (let done = 0; done < n; done += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - done) }, async () => {
        const c = await t.connect(t.wsUrl(`/ws/plain?tag=${tag}`))
        c.ws.close()
        await c.closed
      })
    )
  }
}

export const limits: Scenario[] = [
  scenario({
    id: 'LM1',
    title: 'a binary message over maxPayload (1 MiB by default) closes that connection with 1009',
    timeout: 20_000,
    run: (t) => tooBig(t, '/ws/echo', Buffer.alloc(MiB + 1)),
  }),
  scenario({
    id: 'LM2',
    title: 'text over maxPayload is measured in UTF-8 bytes and closes with 1009',
    timeout: 20_000,
    // 524,289 characters, 1,048,578 bytes.
    run: (t) => tooBig(t, '/ws/echo', 'é'.repeat(MiB / 2 + 1)),
  }),
  scenario({
    id: 'LM3',
    title: "a route's lower maxPayload holds: 1,024 bytes pass, 1,025 close with 1009",
    async run(t) {
      const { client } = await open(t, '/ws/small')
      client.ws.send(Buffer.alloc(1024))
      assert.equal((await client.next()).data.length, 1024)
      client.ws.close()
      await tooBig(t, '/ws/small', Buffer.alloc(1025))
    },
  }),
  scenario({
    id: 'LM4',
    title: 'over maxConnections the upgrade is refused with 503 and Retry-After, and a slot freed is usable',
    async run(t) {
      const a = await open(t, '/ws/limited')
      const b = await open(t, '/ws/limited')
      const r = await refused(t, t.wsUrl('/ws/limited'))
      assert.equal(r.status, 503)
      assert.match(String(r.headers['retry-after']), /^\d+$/)
      a.client.ws.close()
      await a.client.closed
      await t.waitForLog(a.id, has('close'))
      const c = await open(t, '/ws/limited')
      c.client.ws.send('in')
      assert.equal((await c.client.next()).text, 'in')
      b.client.ws.close()
      c.client.ws.close()
    },
  }),
  scenario({
    id: 'LM5',
    title: 'by default a cross-site browser Origin gets 403, the same origin and no Origin connect',
    async run(t) {
      const r = await refused(t, t.wsUrl('/ws/echo'), { headers: { Origin: 'http://evil.test' } })
      assert.equal(r.status, 403)
      assert.match(r.body, /allowedOrigins/)
      const same = await open(t, '/ws/echo', { headers: { Origin: `http://127.0.0.1:${t.port}` } })
      same.client.ws.close()
      const none = await open(t, '/ws/echo')
      none.client.ws.close()
    },
  }),
  scenario({
    id: 'LM6',
    title: 'an allowedOrigins list admits only its origins, and allowMissingOrigin false refuses no Origin',
    async run(t) {
      const ok = await open(t, '/ws/origins', { headers: { Origin: 'http://allowed.test' } })
      ok.client.ws.close()
      assert.equal(
        (await refused(t, t.wsUrl('/ws/origins'), { headers: { Origin: 'http://other.test' } })).status,
        403
      )
      assert.equal((await refused(t, t.wsUrl('/ws/origins'))).status, 403)
    },
  }),
  scenario({
    id: 'LM7',
    title: 'the heartbeat drops a peer that stops answering pings (onClose 1006) and keeps one that answers',
    requires: ['serverPing'],
    timeout: 20_000,
    async run(t) {
      const answering = await open(t, '/ws/heartbeat')
      const id = t.newId()
      const silent = await t.connect(t.wsUrl(`/ws/heartbeat?id=${id}`), { autoPong: false })
      await within(silent.closed, 10_000, 'the silent peer to be dropped')
      const log = await t.waitForLog(id, has('close'))
      assert.equal(only(log, 'close')[0]?.code, 1006)
      answering.client.ws.send('still here')
      assert.equal((await answering.client.next()).text, 'still here')
      answering.client.ws.close()
    },
  }),
  scenario({
    id: 'LM8',
    title: 'a slow consumer whose send buffer passes maxBufferedAmount is closed with 1013',
    requires: ['bufferedAmount'],
    timeout: 30_000,
    async run(t) {
      const { client, id } = await open(t, '/ws/backpressure')
      client.ws.pause()
      client.ws.send('flood')
      await t.waitForLog(id, has('flood-done'), 20_000)
      client.ws.resume()
      const closed = await within(client.closed, 20_000, 'the slow consumer to be closed')
      assert.equal(closed.code, 1013)
      assert.equal(only(await t.waitForLog(id, has('close')), 'close')[0]?.code, 1013)
    },
  }),
  scenario({
    id: 'LM9',
    title: 'ws.drained() paces a sender under backpressure and onDrain fires; nothing is closed',
    requires: ['bufferedAmount'],
    timeout: 30_000,
    async run(t) {
      const { client } = await open(t, '/ws/backpressure')
      client.ws.pause()
      client.ws.send('paced')
      await new Promise((r) => setTimeout(r, 500))
      client.ws.resume()
      const got = await client.take(33, 20_000)
      const [, sent, drains] = got[32]!.text.split(':').map(Number)
      assert.equal(sent, 32)
      assert.ok(drains! >= 1, `onDrain fired ${drains} times`)
      assert.equal(
        got.slice(0, 32).reduce((n, m) => n + m.data.length, 0),
        32 * 256 * 1024
      )
      client.ws.close()
      assert.equal((await client.closed).code, 1005)
    },
  }),
  scenario({
    id: 'LM10',
    title: 'the live view of connections counts opens and closes',
    async run(t) {
      // Counted by tag: a connection an earlier scenario closed may still be on its way out of the view.
      const tag = t.newId()
      const before = (await stats(t)).connections
      const three = await Promise.all([0, 1, 2].map(() => open(t, `/ws/echo?tag=${tag}`)))
      const opened = await waitForStats(t, (s) => s.tagged === 3, { tag })
      assert.ok(opened.connections >= 3, `size ${opened.connections} with 3 connections open`)
      for (const { client } of three) client.ws.close()
      const after = await waitForStats(t, (s) => s.tagged === 0, { tag })
      // Earlier connections can only have left meanwhile, so the size is back to at most what it was.
      assert.ok(after.connections <= before, `size ${after.connections}, was ${before}`)
    },
  }),
  scenario({
    id: 'LM11',
    title: '2,000 connect/close cycles leave no connection in the live view',
    timeout: 120_000,
    async run(t) {
      const tag = t.newId()
      const before = (await stats(t)).connections
      await churn(t, 2000, tag)
      const after = await waitForStats(t, (s) => s.tagged === 0, { tag })
      assert.ok(after.connections <= before, `size ${after.connections}, was ${before}`)
    },
  }),
  scenario({
    id: 'LM12',
    title: "2,000 connect/close cycles leave the server's memory flat (under 3 MiB of growth)",
    requires: ['memoryReport'],
    timeout: 180_000,
    async run(t) {
      const tag = t.newId()
      // Warm-up: JIT, pools and buffers that are allocated once.
      await churn(t, 300, tag)
      const before = (await waitForStats(t, (s) => s.tagged === 0, { tag })).memory!
      await churn(t, 2000, tag)
      const after = (await waitForStats(t, (s) => s.tagged === 0, { tag })).memory!
      t.note(`heap ${(before / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB after 2,000 cycles`)
      // A leak of 1.5 KiB per connection (less than any runtime's own state for one socket) would pass 3 MiB.
      assert.ok(after - before < 3 * MiB, `memory grew by ${((after - before) / MiB).toFixed(2)} MiB`)
    },
  }),
]
