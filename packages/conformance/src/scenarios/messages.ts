import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { within } from '../runner/client.ts'
import { scenario } from '../runner/scenario.ts'
import { closeAndWait, has, only, open } from './helpers.ts'

type T = Parameters<Parameters<typeof scenario>[0]['run']>[0]

/** Sends `data` to the echo route; checks the echo and what the server handler received. */
async function roundTrip(
  t: T,
  data: string | Buffer,
  expectKind: 'string' | 'arraybuffer',
  expectSize: number
) {
  const { client, id } = await open(t, '/ws/echo')
  client.ws.send(data)
  const echo = await client.next(8000)
  const log = await closeAndWait(t, client, id)
  const received = only(log, 'message')[0]
  assert.equal(received?.kind, expectKind, 'type the handler received')
  assert.equal(received?.size, expectSize, 'size the handler received')
  if (typeof data === 'string') {
    assert.equal(echo.isBinary, false)
    assert.equal(echo.text, data)
  } else {
    assert.equal(echo.isBinary, true)
    assert.ok(echo.data.equals(data), 'echoed bytes differ')
  }
}

export const messages = [
  scenario({
    id: 'MS1',
    title: 'a text message round trips',
    run: (t) => roundTrip(t, 'hello', 'string', 5),
  }),
  scenario({
    id: 'MS2',
    title: 'multi-byte UTF-8 text arrives intact',
    run: (t) => {
      const s = 'héllo wörld — 你好 🎉𝄞'
      return roundTrip(t, s, 'string', s.length)
    },
  }),
  scenario({
    id: 'MS3',
    title: 'the empty string is a text message',
    run: (t) => roundTrip(t, '', 'string', 0),
  }),
  scenario({
    id: 'MS4',
    title: 'binary arrives as an ArrayBuffer of exactly the sent length',
    run: (t) => roundTrip(t, randomBytes(37), 'arraybuffer', 37),
  }),
  scenario({
    id: 'MS5',
    title: 'an empty binary message arrives as an empty ArrayBuffer',
    run: (t) => roundTrip(t, Buffer.alloc(0), 'arraybuffer', 0),
  }),
  scenario({
    id: 'MS6',
    title: 'every byte value survives a binary round trip',
    run: (t) => roundTrip(t, Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'arraybuffer', 256),
  }),
  scenario({
    id: 'MS7',
    title: 'sending a view sends only the bytes of the view',
    async run(t) {
      const { client } = await open(t, '/ws/send-views')
      const got = await client.take(6)
      assert.deepEqual(
        got.slice(0, 5).map((m) => [m.isBinary, [...m.data]]),
        [
          [true, [2, 3, 4]],
          [true, [6, 7, 8]],
          [true, [8, 9]],
          [true, [2, 3, 4, 5]],
          [true, []],
        ]
      )
      assert.equal(got[5]?.text, 'done')
      client.ws.close()
    },
  }),
  scenario({
    id: 'MS8',
    title: 'a 1 MiB text message round trips',
    timeout: 20_000,
    run: (t) => {
      const s = 'abcdefghijklmnop'.repeat(65536)
      return roundTrip(t, s, 'string', s.length)
    },
  }),
  scenario({
    id: 'MS9',
    title: 'a 1 MiB binary message round trips',
    timeout: 20_000,
    run: (t) => roundTrip(t, randomBytes(1024 * 1024), 'arraybuffer', 1024 * 1024),
  }),
  scenario({
    id: 'MS10',
    title: '1,000 messages arrive in order',
    timeout: 20_000,
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      const sent = Array.from({ length: 1000 }, (_, i) => `m${i}`)
      for (const m of sent) client.ws.send(m)
      const got = await client.take(1000, 15_000)
      assert.deepEqual(
        got.map((m) => m.text),
        sent
      )
      const log = await closeAndWait(t, client, id)
      assert.deepEqual(
        only(log, 'message').map((e) => e.size),
        sent.map((m) => m.length)
      )
    },
  }),
  scenario({
    id: 'MS11',
    title: '50 concurrent connections have no cross-talk',
    timeout: 20_000,
    async run(t) {
      const clients = await Promise.all(Array.from({ length: 50 }, () => open(t, '/ws/echo')))
      await Promise.all(
        clients.map(async ({ client, id }) => {
          for (let i = 0; i < 10; i++) client.ws.send(`${id}:${i}`)
          const got = await client.take(10, 10_000)
          assert.deepEqual(
            got.map((m) => m.text),
            Array.from({ length: 10 }, (_, i) => `${id}:${i}`)
          )
        })
      )
      for (const { client } of clients) client.ws.close()
    },
  }),
  scenario({
    id: 'MS12',
    title: 'send on a closing or closed connection does not throw and sends nothing',
    async run(t) {
      const { client, id } = await open(t, '/ws/send-after-close')
      const closed = await within(client.closed, 5000, 'the server close')
      assert.equal(closed.code, 4001)
      const log = await t.waitForLog(id, (l) => l.some((e) => e.where === 'after-onClose'))
      for (const where of ['after-close-call', 'in-onClose', 'after-onClose']) {
        const entry = log.find((e) => e.where === where)
        assert.equal(entry?.threw, false, `send ${where} threw: ${entry?.error}`)
      }
      assert.deepEqual(
        client.drain().map((m) => m.text),
        []
      )
    },
  }),
  scenario({
    id: 'MS13',
    title: 'send with an unsupported type throws a TypeError that names the accepted types',
    async run(t) {
      const { client, id } = await open(t, '/ws/send-after-close')
      await within(client.closed, 5000, 'the server close')
      const log = await t.waitForLog(id, (l) => l.some((e) => e.where === 'invalid-type'))
      const entry = log.find((e) => e.where === 'invalid-type')
      assert.equal(entry?.threw, true)
      assert.match(String(entry?.error), /^TypeError: .*ArrayBuffer/)
    },
  }),
  scenario({
    id: 'MS14',
    title: 'send with { compress: true } is accepted, with and without permessage-deflate',
    async run(t) {
      for (const perMessageDeflate of [true, false]) {
        const { client } = await open(t, '/ws/compress', { perMessageDeflate })
        client.ws.send('squeeze '.repeat(100))
        assert.equal((await client.next()).text, 'squeeze '.repeat(100))
        client.ws.close()
      }
    },
  }),
  scenario({
    id: 'MS15',
    title: 'text and binary messages interleave in order with their types',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      client.ws.send('one')
      client.ws.send(Buffer.from([1, 2]))
      client.ws.send('three')
      const got = await client.take(3)
      assert.deepEqual(
        got.map((m) => [m.isBinary, m.isBinary ? [...m.data] : m.text]),
        [
          [false, 'one'],
          [true, [1, 2]],
          [false, 'three'],
        ]
      )
      const log = await closeAndWait(t, client, id)
      assert.deepEqual(
        only(log, 'message').map((e) => e.kind),
        ['string', 'arraybuffer', 'string']
      )
      assert.ok(has('close')(log))
    },
  }),
  scenario({
    id: 'MS16',
    title:
      'send takes the bytes a Uint8Array holds when called: filling it again right after changes nothing sent',
    async run(t) {
      const { client } = await open(t, '/ws/reused-buffer')
      client.ws.send('go')
      const got = await client.take(6)
      assert.deepEqual(
        got.map((m) => [m.isBinary, m.data.length, m.data[0], m.data[m.data.length - 1]]),
        [
          [true, 4, 0, 0],
          [true, 4, 1, 1],
          [true, 4, 2, 2],
          [true, 4, 3, 3],
          [true, 4, 4, 4],
          [true, 100_000, 1, 1],
        ]
      )
      client.ws.close()
    },
  }),
]
