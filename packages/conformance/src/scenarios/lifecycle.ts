import assert from 'node:assert/strict'
import { rawRequest, upgradeRequest, within } from '../runner/client.ts'
import { scenario } from '../runner/scenario.ts'
import { assertOnce, closeAndWait, has, only, open, settle } from './helpers.ts'

export const lifecycle = [
  scenario({
    id: 'LC1',
    title: 'onOpen fires once, before the first message',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      for (const m of ['1', '2', '3']) client.ws.send(m)
      await client.take(3)
      const log = await closeAndWait(t, client, id)
      assert.equal(log[0]?.event, 'open', `first event: ${log[0]?.event}`)
      assert.equal(only(log, 'open').length, 1)
      assert.equal(only(log, 'message').length, 3)
    },
  }),
  scenario({
    id: 'LC2',
    title: 'a client that sends at once to an async createEvents loses nothing',
    async run(t) {
      const { client, id } = await open(t, '/ws/async')
      const sent = Array.from({ length: 20 }, (_, i) => `early-${i}`)
      for (const m of sent) client.ws.send(m)
      const got = await client.take(20)
      assert.deepEqual(
        got.map((m) => m.text),
        sent
      )
      const log = await closeAndWait(t, client, id)
      assert.equal(log[0]?.event, 'open')
    },
  }),
  scenario({
    id: 'LC3',
    title: 'every handler of a connection receives the same WSContext',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      client.ws.send('x')
      await client.next()
      const log = await closeAndWait(t, client, id)
      for (const e of log.filter((e) => 'same' in e))
        assert.equal(e.same, true, `${e.event} got another context`)
      assert.ok(log.filter((e) => 'same' in e).length >= 3)
    },
  }),
  scenario({
    id: 'LC4',
    title: 'readyState is 1 while open, 3 in onClose and after',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      client.ws.send('x')
      await client.next()
      await closeAndWait(t, client, id)
      const log = await t.waitForLog(id, has('after-close'))
      assert.equal(only(log, 'open')[0]?.readyState, 1)
      assert.equal(only(log, 'message')[0]?.readyState, 1)
      assert.equal(only(log, 'close')[0]?.readyState, 3)
      assert.equal(only(log, 'after-close')[0]?.readyState, 3)
    },
  }),
  scenario({
    id: 'LC5',
    title: 'onClose fires exactly once when the client closes',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      await closeAndWait(t, client, id, 4000)
      await assertOnce(t, id, 'close')
    },
  }),
  scenario({
    id: 'LC6',
    title: 'onClose fires exactly once when the server closes',
    async run(t) {
      const { client, id } = await open(t, '/ws/server-close?code=4002&reason=srv')
      await within(client.closed, 5000, 'the server close')
      await t.waitForLog(id, has('close'))
      await assertOnce(t, id, 'close')
    },
  }),
  scenario({
    id: 'LC7',
    title: 'onClose fires exactly once, with 1006, when the client drops the TCP connection',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      client.ws.terminate()
      await t.waitForLog(id, has('close'))
      const close = await assertOnce(t, id, 'close')
      assert.equal(close.code, 1006)
      assert.equal(close.wasClean, false)
    },
  }),
  scenario({
    id: 'LC8',
    title: 'ws.url is the request URL with its query',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo?q=a%20b&x=1')
      const log = await closeAndWait(t, client, id)
      const url = new URL(String(only(log, 'open')[0]?.url))
      assert.equal(url.host, `127.0.0.1:${t.port}`)
      assert.equal(url.pathname, '/ws/echo')
      assert.equal(url.search, `?q=a%20b&x=1&id=${id}`)
    },
  }),
  scenario({
    id: 'LC9',
    title: 'ws.raw holds the runtime socket',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      const log = await closeAndWait(t, client, id)
      assert.equal(only(log, 'open')[0]?.hasRaw, true)
    },
  }),
  scenario({
    id: 'LC10',
    title: 'readyState is live: 2 or 3 right after ws.close()',
    async run(t) {
      const { client, id } = await open(t, '/ws/server-close?code=4002')
      await within(client.closed, 5000, 'the server close')
      const log = await t.waitForLog(id, has('after-close-call'))
      assert.ok([2, 3].includes(only(log, 'after-close-call')[0]?.readyState as number))
    },
  }),
  scenario({
    id: 'LC11',
    title: 'onClose fires once for a raw TCP connection dropped right after the 101',
    requires: ['rawSocket'],
    async run(t) {
      const id = t.newId()
      const res = await rawRequest(t.port, upgradeRequest(t.port, `/ws/echo?id=${id}`))
      assert.equal(res.status, 101)
      res.socket.destroy()
      await t.waitForLog(id, has('close'))
      const log = await t.log(id)
      assert.equal(only(log, 'open').length, 1)
      await settle()
      assert.equal(only(await t.log(id), 'close').length, 1)
      assert.equal(only(log, 'close')[0]?.code, 1006)
    },
  }),
  scenario({
    id: 'LC12',
    title: 'ws.data is a per-connection place kept across handlers and never shared',
    async run(t) {
      const a = await open(t, '/ws/data')
      const b = await open(t, '/ws/data')
      for (let i = 0; i < 3; i++) {
        a.client.ws.send('x')
        b.client.ws.send('y')
      }
      assert.deepEqual(
        (await a.client.take(3)).map((m) => m.text),
        [1, 2, 3].map((n) => `${a.id}:${n}`)
      )
      assert.deepEqual(
        (await b.client.take(3)).map((m) => m.text),
        [1, 2, 3].map((n) => `${b.id}:${n}`)
      )
      const log = await closeAndWait(t, a.client, a.id)
      assert.deepEqual(only(log, 'close')[0]?.data, { count: 3, owner: a.id })
      b.client.ws.close()
    },
  }),
  scenario({
    id: 'LC13',
    title: 'a connection keeps its url, protocol and ws.data across hibernation, and onOpen does not repeat',
    requires: ['hibernation'],
    timeout: 150_000,
    async run(t) {
      const { client } = await open(t, '/ws/hibernate?q=kept', { protocols: ['chat'] })
      client.ws.send('before')
      const before = JSON.parse((await client.next()).text)
      // Eviction needs about 11 s without any activity in the object (RUNTIME-NOTES W14); nothing may touch it.
      // A loaded machine may take longer, so each idle spell that ends on the same instance is followed by another.
      let after: any
      let sent = 1
      for (let spell = 1; spell <= 4; spell++) {
        await new Promise((r) => setTimeout(r, 13_000))
        client.ws.send('after')
        sent++
        after = JSON.parse((await client.next(20_000)).text)
        if (after.instance !== before.instance) break
      }
      assert.notEqual(
        after.instance,
        before.instance,
        'the object was not evicted: the same instance answered after 4 idle spells of 13 s'
      )
      assert.equal(after.got, 'after')
      assert.equal(after.query, 'kept')
      assert.equal(after.url, before.url)
      assert.equal(after.protocol, 'chat')
      assert.deepEqual(after.data, { note: 'set in onOpen', opens: 1, messages: sent })
      client.ws.close()
      await within(client.closed, 10_000, 'the close after the wake')
    },
  }),
]
