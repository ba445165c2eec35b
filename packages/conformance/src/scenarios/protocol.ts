import assert from 'node:assert/strict'
import { header, rawRequest } from '../runner/client.ts'
import { scenario } from '../runner/scenario.ts'
import { closeAndWait, open, refused } from './helpers.ts'

/** Connects with `offered`, and checks client and server both report `expected`. */
async function negotiates(
  t: Parameters<Parameters<typeof scenario>[0]['run']>[0],
  path: string,
  offered: string[],
  expected: string
) {
  const { client, id } = await open(t, path, { protocols: offered })
  assert.equal(client.protocol, expected, 'client-side protocol')
  const log = await closeAndWait(t, client, id)
  assert.equal(log.find((e) => e.event === 'open')?.protocol, expected, 'server-side ws.protocol')
}

export const protocol = [
  scenario({
    id: 'PR1',
    title: 'no subprotocol offered: none negotiated, ws.protocol is empty on both sides',
    run: (t) => negotiates(t, '/ws/protocols/default', [], ''),
  }),
  scenario({
    id: 'PR2',
    title: 'the default choice is the first offered, reported the same on both sides',
    run: (t) => negotiates(t, '/ws/protocols/default', ['a', 'b'], 'a'),
  }),
  scenario({
    id: 'PR3',
    title: 'the protocols option chooses by the server preference',
    run: (t) => negotiates(t, '/ws/protocols/prefer-b', ['a', 'b'], 'b'),
  }),
  scenario({
    id: 'PR4',
    title: 'a protocols function chooses among the offered',
    run: (t) => negotiates(t, '/ws/protocols/last', ['a', 'b', 'c'], 'c'),
  }),
  scenario({
    id: 'PR5',
    title: 'no acceptable offer is refused with 400 naming what the route accepts',
    async run(t) {
      const r = await refused(t, t.wsUrl('/ws/protocols/prefer-b'), { protocols: ['x', 'y'] })
      assert.equal(r.status, 400)
      assert.match(r.body, /x, y/)
      assert.match(r.body, /b, a/)
    },
  }),
  scenario({
    id: 'PR6',
    title: 'offers spread over several header lines and spaces are all read',
    requires: ['rawSocket'],
    async run(t) {
      const key = 'dGhlIHNhbXBsZSBub25jZQ=='
      const req = [
        `GET /ws/protocols/prefer-b?id=${t.newId()} HTTP/1.1`,
        `Host: 127.0.0.1:${t.port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Protocol: x ,  y',
        'Sec-WebSocket-Protocol: b',
        '',
        '',
      ].join('\r\n')
      const res = await rawRequest(t.port, req)
      res.socket.destroy()
      assert.equal(res.status, 101, res.statusLine)
      assert.equal(header(res, 'sec-websocket-protocol'), 'b', 'the sec-websocket-protocol header')
    },
  }),
  scenario({
    id: 'PR7',
    title: 'a route with a protocols list accepts a client that offers none',
    run: (t) => negotiates(t, '/ws/protocols/prefer-b', [], ''),
  }),
]
