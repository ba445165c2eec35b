import assert from 'node:assert/strict'
import type { Client } from '../runner/client.ts'
import { type Scenario, type ScenarioContext, scenario } from '../runner/scenario.ts'
import { open, settle } from './helpers.ts'
import { waitForStats } from './limits.ts'

/** Opens a client on the pub/sub route, subscribed to `topics` (each acknowledged). */
async function member(t: ScenarioContext, ...topics: string[]): Promise<Client> {
  const { client } = await open(t, '/ws/pubsub')
  for (const topic of topics) {
    client.ws.send(`sub:${topic}`)
    assert.equal((await client.next()).text, `ok:sub:${topic}`)
  }
  return client
}

/** What `client` received beyond acknowledgements within a short pause. */
async function inbox(client: Client) {
  await settle(200)
  return client
    .drain()
    .filter((m) => m.isBinary || !m.text.startsWith('ok:'))
    .map((m) => (m.isBinary ? [...m.data] : m.text))
}

const closeAll = (...clients: Client[]) => {
  for (const c of clients) c.ws.close()
}

export const pubsub: Scenario[] = [
  scenario({
    id: 'PS1',
    title: 'a publish reaches subscribers of the topic only',
    requires: ['crossConnectionSend'],
    async run(t) {
      const a = await member(t, 'room1')
      const b = await member(t)
      const sender = await member(t)
      sender.ws.send('pub:room1:hello')
      assert.deepEqual(await inbox(a), ['hello'])
      assert.deepEqual(await inbox(b), [])
      closeAll(a, b, sender)
    },
  }),
  scenario({
    id: 'PS2',
    title: 'ws.publish excludes the sender even when it is subscribed',
    requires: ['crossConnectionSend'],
    async run(t) {
      const a = await member(t, 'room2')
      const sender = await member(t, 'room2')
      sender.ws.send('pub:room2:from sender')
      assert.deepEqual(await inbox(a), ['from sender'])
      assert.deepEqual(await inbox(sender), [])
      closeAll(a, sender)
    },
  }),
  scenario({
    id: 'PS3',
    title: 'unsubscribe stops delivery, and isSubscribed tells',
    requires: ['crossConnectionSend'],
    async run(t) {
      const a = await member(t, 'room3')
      const sender = await member(t)
      a.ws.send('is:room3')
      assert.equal((await a.next()).text, 'is:room3:true')
      a.ws.send('unsub:room3')
      assert.equal((await a.next()).text, 'ok:unsub:room3')
      a.ws.send('is:room3')
      assert.equal((await a.next()).text, 'is:room3:false')
      sender.ws.send('pub:room3:after leaving')
      assert.deepEqual(await inbox(a), [])
      closeAll(a, sender)
    },
  }),
  scenario({
    id: 'PS4',
    title: 'closing a connection unsubscribes it',
    requires: ['crossConnectionSend'],
    async run(t) {
      const a = await member(t, 'room4')
      const b = await member(t, 'room4')
      await waitForStats(t, (s) => s.subscribed === 2, { topic: 'room4' })
      a.ws.close()
      await a.closed
      await waitForStats(t, (s) => s.subscribed === 1, { topic: 'room4' })
      b.ws.close()
      await waitForStats(t, (s) => s.subscribed === 0, { topic: 'room4' })
    },
  }),
  scenario({
    id: 'PS5',
    title: 'a server-side publish from an HTTP route reaches every subscriber',
    requires: ['crossConnectionSend'],
    async run(t) {
      const a = await member(t, 'news')
      const b = await member(t, 'news')
      const res = await t.fetch(t.httpUrl('/publish/news'), { method: 'POST', body: 'extra, extra' })
      assert.equal(await res.text(), 'published')
      assert.deepEqual(await inbox(a), ['extra, extra'])
      assert.deepEqual(await inbox(b), ['extra, extra'])
      closeAll(a, b)
    },
  }),
  scenario({
    id: 'PS6',
    title: 'topics are isolated from each other',
    requires: ['crossConnectionSend'],
    async run(t) {
      const a = await member(t, 'topic-a')
      const b = await member(t, 'topic-b')
      await t.fetch(t.httpUrl('/publish/topic-a'), { method: 'POST', body: 'for a' })
      await t.fetch(t.httpUrl('/publish/topic-b'), { method: 'POST', body: 'for b' })
      assert.deepEqual(await inbox(a), ['for a'])
      assert.deepEqual(await inbox(b), ['for b'])
      closeAll(a, b)
    },
  }),
  scenario({
    id: 'PS7',
    title: 'binary and text payloads are published exactly',
    requires: ['crossConnectionSend'],
    async run(t) {
      const a = await member(t, 'bin')
      const sender = await member(t)
      // One source at a time: a WebSocket message and an HTTP request have no order between them.
      sender.ws.send(Buffer.from([0, 1, 2, 255]))
      assert.deepEqual([...(await a.next()).data], [0, 1, 2, 255])
      await t.fetch(t.httpUrl('/publish/bin?binary=1'), { method: 'POST', body: new Uint8Array([9, 8, 7]) })
      const binary = await a.next()
      assert.equal(binary.isBinary, true)
      assert.deepEqual([...binary.data], [9, 8, 7])
      await t.fetch(t.httpUrl('/publish/bin'), { method: 'POST', body: 'héllo 🎉' })
      const text = await a.next()
      assert.equal(text.isBinary, false)
      assert.equal(text.text, 'héllo 🎉')
      assert.deepEqual(await inbox(a), [])
      closeAll(a, sender)
    },
  }),
]
