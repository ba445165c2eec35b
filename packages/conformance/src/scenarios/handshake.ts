import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import {
  clientFrame,
  header,
  makeKey,
  parseServerFrames,
  rawRequest,
  upgradeRequest,
} from '../runner/client.ts'
import { scenario } from '../runner/scenario.ts'
import { has, open, refused } from './helpers.ts'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

async function readFrames(socket: import('node:net').Socket, initial: Buffer, count: number) {
  let buf = initial
  for (;;) {
    const parsed = parseServerFrames(buf)
    if (parsed.frames.length >= count) return parsed.frames
    const chunk = await new Promise<Buffer>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${count} frame(s)`)), 5000)
      socket.once('data', (d: Buffer) => {
        clearTimeout(t)
        resolve(d)
      })
    })
    buf = Buffer.concat([buf, chunk])
  }
}

export const handshake = [
  scenario({
    id: 'HS1',
    title: 'the 101 carries the correct Sec-WebSocket-Accept',
    requires: ['rawSocket'],
    async run(t) {
      const key = makeKey()
      const res = await rawRequest(
        t.port,
        upgradeRequest(t.port, `/ws/echo?id=${t.newId()}`, { 'Sec-WebSocket-Key': key })
      )
      res.socket.destroy()
      assert.equal(res.status, 101, res.statusLine)
      const expected = createHash('sha1')
        .update(key + GUID)
        .digest('base64')
      assert.equal(header(res, 'sec-websocket-accept'), expected, 'the sec-websocket-accept header')
      assert.equal(header(res, 'upgrade')?.toLowerCase(), 'websocket', 'the upgrade header')
    },
  }),
  scenario({
    id: 'HS2',
    title: 'Upgrade and Connection are read case-insensitively as token lists',
    requires: ['rawSocket'],
    async run(t) {
      const req = upgradeRequest(t.port, `/ws/echo?id=${t.newId()}`, {
        Upgrade: 'WebSocket',
        Connection: 'keep-alive, UPGRADE',
      })
      const res = await rawRequest(t.port, req)
      try {
        assert.equal(res.status, 101, res.statusLine)
        res.socket.write(clientFrame(1, Buffer.from('mixed case')))
        const frames = await readFrames(res.socket, res.body, 1)
        assert.equal(frames[0]!.payload.toString(), 'mixed case')
      } finally {
        res.socket.destroy()
      }
    },
  }),
  scenario({
    id: 'HS3',
    title: 'a plain GET on a middleware-form route falls through to next()',
    async run(t) {
      const res = await t.fetch(t.httpUrl('/ws/echo'))
      assert.equal(res.status, 200)
      assert.equal(await res.text(), 'fallthrough')
    },
  }),
  scenario({
    id: 'HS4',
    title: 'the direct form answers a plain GET with 426 Upgrade Required',
    requires: ['directForm'],
    async run(t) {
      const res = await t.fetch(t.httpUrl('/ws/direct'))
      assert.equal(res.status, 426)
      assert.match(await res.text(), /only speaks WebSocket/)
    },
  }),
  scenario({
    id: 'HS5',
    title: 'the direct form upgrades and echoes',
    requires: ['directForm'],
    async run(t) {
      const { client } = await open(t, '/ws/direct')
      client.ws.send('direct')
      assert.equal((await client.next()).text, 'direct')
      client.ws.close()
    },
  }),
  scenario({
    id: 'HS6',
    title: 'a 401 from auth before the upgrade reaches the client with its headers and body',
    async run(t) {
      const r = await refused(t, t.wsUrl('/ws/auth'))
      assert.equal(r.status, 401)
      assert.equal(r.headers['www-authenticate'], 'Bearer realm="conformance"', 'the www-authenticate header')
      assert.deepEqual(JSON.parse(r.body), { error: 'unauthorized', hint: 'pass ?token=letmein' })
      const { client } = await open(t, '/ws/auth?token=letmein')
      client.ws.send('authorized')
      assert.equal((await client.next()).text, 'authorized')
      client.ws.close()
    },
  }),
  scenario({
    id: 'HS7',
    title: 'headers set by middleware appear on the 101, each Set-Cookie on its own line',
    requires: ['upgradeHeaders', 'rawSocket'],
    async run(t) {
      const res = await rawRequest(t.port, upgradeRequest(t.port, `/ws/headers?id=${t.newId()}`))
      res.socket.destroy()
      assert.equal(res.status, 101, res.statusLine)
      assert.equal(header(res, 'x-conformance'), 'yes', 'the x-conformance header')
      const cookies = res.headers.filter(([n]) => n === 'set-cookie').map(([, v]) => v.split(';')[0])
      assert.deepEqual(cookies.sort(), ['first=1', 'second=2'])
    },
  }),
  scenario({
    id: 'HS8',
    title: 'a route behind cors() upgrades and echoes',
    async run(t) {
      const { client } = await open(t, '/ws/cors', { headers: { Origin: 'http://example.test' } })
      client.ws.send('cors')
      assert.equal((await client.next()).text, 'cors')
      client.ws.close()
    },
  }),
  scenario({
    id: 'HS9',
    title: 'headers added by cors() appear on the 101',
    requires: ['upgradeHeaders', 'rawSocket'],
    async run(t) {
      const req = upgradeRequest(t.port, `/ws/cors?id=${t.newId()}`, { Origin: 'http://example.test' })
      const res = await rawRequest(t.port, req)
      res.socket.destroy()
      assert.equal(res.status, 101, res.statusLine)
      assert.equal(header(res, 'access-control-allow-origin'), '*', 'the access-control-allow-origin header')
    },
  }),
  scenario({
    id: 'HS10',
    title: 'an async createEvents upgrades',
    async run(t) {
      const { client, id } = await open(t, '/ws/async')
      client.ws.send('async')
      assert.equal((await client.next()).text, 'async')
      client.ws.close()
      await t.waitForLog(id, has('close'))
    },
  }),
  scenario({
    id: 'HS11',
    title: 'createEvents throwing gives a 500 through app.onError and no socket',
    async run(t) {
      const r = await refused(t, t.wsUrl('/ws/create-throws'))
      assert.equal(r.status, 500)
      assert.equal(r.body, 'conformance onError: createEvents failed on purpose')
      await t.assertServerAlive()
    },
  }),
  scenario({
    id: 'HS12',
    title: 'an invalid Sec-WebSocket-Key is refused with 400 and the server lives',
    requires: ['rawSocket'],
    async run(t) {
      const res = await rawRequest(
        t.port,
        upgradeRequest(t.port, '/ws/echo', { 'Sec-WebSocket-Key': 'not-a-key' })
      )
      res.socket.destroy()
      assert.equal(res.status, 400, res.statusLine)
      await t.assertServerAlive()
    },
  }),
  scenario({
    id: 'HS13',
    title: 'an unsupported Sec-WebSocket-Version gets 426 with Sec-WebSocket-Version: 13',
    requires: ['rawSocket'],
    async run(t) {
      const res = await rawRequest(
        t.port,
        upgradeRequest(t.port, '/ws/echo', { 'Sec-WebSocket-Version': '8' })
      )
      res.socket.destroy()
      assert.equal(res.status, 426, res.statusLine)
      assert.equal(header(res, 'sec-websocket-version'), '13', 'the sec-websocket-version header')
    },
  }),
  scenario({
    id: 'HS14',
    title: 'an upgrade to another protocol is served as plain HTTP',
    requires: ['rawSocket'],
    async run(t) {
      const req = `GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n`
      const res = await rawRequest(t.port, req)
      res.socket.destroy()
      assert.equal(res.status, 200, res.statusLine)
      assert.equal(res.body.toString(), 'fallthrough')
    },
  }),
  scenario({
    id: 'HS15',
    title: 'a POST with upgrade headers is never upgraded and the server lives',
    requires: ['rawSocket'],
    async run(t) {
      const req = upgradeRequest(t.port, '/ws/echo', {})
        .replace(/^GET /, 'POST ')
        .replace('\r\n\r\n', '\r\nContent-Length: 0\r\n\r\n')
      const res = await rawRequest(t.port, req)
      res.socket.destroy()
      // The app answers 404 (no POST route). Some runtimes refuse the request before any app runs: Deno with 400,
      // workerd with 500 ("WebSocket must be initiated with a GET request"). None may upgrade it.
      assert.ok(res.status >= 400, `expected a refusal, got ${res.statusLine}`)
      await t.assertServerAlive()
    },
  }),
  scenario({
    id: 'HS16',
    title: 'a frame sent in the same packet as the upgrade request is delivered',
    requires: ['pipelinedFrames', 'rawSocket'],
    async run(t) {
      const id = t.newId()
      const req = Buffer.concat([
        Buffer.from(upgradeRequest(t.port, `/ws/echo?id=${id}`)),
        clientFrame(1, Buffer.from('early')),
      ])
      const res = await rawRequest(t.port, req)
      try {
        assert.equal(res.status, 101, res.statusLine)
        const frames = await readFrames(res.socket, res.body, 1)
        assert.equal(frames[0]!.payload.toString(), 'early')
      } finally {
        res.socket.destroy()
      }
    },
  }),
  scenario({
    id: 'HS18',
    title: 'a header that middleware sets after await next() appears on the 101',
    requires: ['lateUpgradeHeaders', 'rawSocket'],
    async run(t) {
      const res = await rawRequest(t.port, upgradeRequest(t.port, `/ws/late-headers?id=${t.newId()}`))
      res.socket.destroy()
      assert.equal(res.status, 101, res.statusLine)
      assert.equal(header(res, 'x-late'), 'after-next', 'the x-late header')
    },
  }),
  scenario({
    id: 'HS17',
    title: "the direct form's 426 carries Upgrade: websocket",
    requires: ['directForm', 'upgradeHeaderOnRefusal'],
    async run(t) {
      const res = await t.fetch(t.httpUrl('/ws/direct'))
      assert.equal(res.status, 426)
      assert.equal(res.headers.get('upgrade')?.toLowerCase(), 'websocket', 'the upgrade header')
    },
  }),
]
