import assert from 'node:assert/strict'
import { clientFrame, parseServerFrames, rawRequest, upgradeRequest, within } from '../runner/client.ts'
import { scenario } from '../runner/scenario.ts'
import { assertOnce, closeAndWait, has, only, open } from './helpers.ts'

type T = Parameters<Parameters<typeof scenario>[0]['run']>[0]

/** Opens `/ws/server-close` with `query` and returns the close the client saw. */
async function serverClose(t: T, query: string) {
  const { client, id } = await open(t, `/ws/server-close?${query}`)
  const closed = await within(client.closed, 5000, 'the server close')
  return { closed, id }
}

async function validation(t: T) {
  const { client } = await open(t, '/ws/close-validation')
  const results = JSON.parse((await client.next()).text) as { code: number; ok: boolean; error?: string }[]
  const closed = await within(client.closed, 5000, 'the server close')
  return { results, closed }
}

export const close = [
  scenario({
    id: 'CL1',
    title: 'a client close code and reason reach onClose',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      const log = await closeAndWait(t, client, id, 4001, 'bye client')
      const c = only(log, 'close')[0]
      assert.deepEqual([c?.code, c?.reason, c?.wasClean], [4001, 'bye client', true])
    },
  }),
  scenario({
    id: 'CL2',
    title: 'a server close code and reason reach the client',
    async run(t) {
      const { closed } = await serverClose(t, 'code=4002&reason=bye%20server')
      assert.deepEqual(closed, { code: 4002, reason: 'bye server' })
    },
  }),
  scenario({
    id: 'CL3',
    title: 'a client close without a code reaches onClose as 1005',
    async run(t) {
      const { client, id } = await open(t, '/ws/echo')
      const log = await closeAndWait(t, client, id)
      assert.equal(only(log, 'close')[0]?.code, 1005)
    },
  }),
  scenario({
    id: 'CL4',
    title: 'ws.close() without arguments closes with 1000',
    async run(t) {
      const { closed, id } = await serverClose(t, '')
      assert.equal(closed.code, 1000)
      const log = await t.waitForLog(id, has('close'))
      assert.equal(only(log, 'close')[0]?.code, 1000)
    },
  }),
  scenario({
    id: 'CL5',
    title: 'invalid close codes throw a RangeError that names the valid ranges',
    async run(t) {
      const { results } = await validation(t)
      const codes = [999, 1004, 1005, 1006, 1015, 2000, 5000, 1000.5]
      for (const code of codes) {
        const r = results.find((x) => x.code === code)
        assert.equal(r?.ok, false, `close(${code}) did not throw`)
        assert.match(String(r?.error), /^RangeError: .*3000 to 4999/, `close(${code}): ${r?.error}`)
      }
    },
  }),
  scenario({
    id: 'CL6',
    title: 'a reason over 123 bytes throws, counted in UTF-8 bytes',
    async run(t) {
      const { results } = await validation(t)
      const long = results.filter((x) => x.code === 4000)
      assert.equal(long.length, 2)
      for (const r of long) {
        assert.equal(r.ok, false)
        assert.match(String(r.error), /^RangeError: .*(124 bytes).*123/)
      }
    },
  }),
  scenario({
    id: 'CL7',
    title: 'a reason of exactly 123 UTF-8 bytes reaches the client whole',
    async run(t) {
      const { closed } = await validation(t)
      assert.deepEqual(closed, { code: 4000, reason: `${'é'.repeat(61)}x` })
    },
  }),
  scenario({
    id: 'CL8',
    title: 'a protocol close code such as 1008 reaches the client',
    async run(t) {
      const { closed } = await serverClose(t, 'code=1008&reason=policy')
      assert.deepEqual(closed, { code: 1008, reason: 'policy' })
    },
  }),
  scenario({
    id: 'CL9',
    title: 'closing twice is harmless: the first close wins and onClose fires once',
    async run(t) {
      const { closed, id } = await serverClose(t, 'code=4003&reason=first&twice=1')
      assert.deepEqual(closed, { code: 4003, reason: 'first' })
      await t.waitForLog(id, has('close'))
      await assertOnce(t, id, 'close')
    },
  }),
  scenario({
    id: 'CL10',
    title: 'a dropped connection reaches onClose as 1006 with wasClean false',
    requires: ['rawSocket'],
    async run(t) {
      const id = t.newId()
      const res = await rawRequest(t.port, upgradeRequest(t.port, `/ws/echo?id=${id}`))
      assert.equal(res.status, 101)
      await t.waitForLog(id, has('open'))
      res.socket.destroy()
      const log = await t.waitForLog(id, has('close'))
      const c = only(log, 'close')[0]
      assert.deepEqual([c?.code, c?.wasClean], [1006, false])
    },
  }),
  scenario({
    id: 'CL11',
    title: 'a close with a reason and no code sends 1000 with the reason',
    async run(t) {
      const { closed } = await serverClose(t, 'reason=only%20reason')
      assert.deepEqual(closed, { code: 1000, reason: 'only reason' })
    },
  }),
  scenario({
    id: 'CL12',
    title: 'after a close it started, the server ends the TCP connection itself',
    requires: ['promptServerClose', 'rawSocket'],
    async run(t) {
      const res = await rawRequest(
        t.port,
        upgradeRequest(t.port, `/ws/server-close?code=4005&id=${t.newId()}`)
      )
      assert.equal(res.status, 101)
      const ended = new Promise<void>((resolve) => {
        res.socket.once('end', () => resolve())
        res.socket.once('close', () => resolve())
      })
      let buf = res.body
      const closeFrame = await within(
        new Promise<Buffer>((resolve) => {
          const check = () => {
            const frame = parseServerFrames(buf).frames.find((f) => f.opcode === 8)
            if (frame) resolve(frame.payload)
          }
          res.socket.on('data', (d: Buffer) => {
            buf = Buffer.concat([buf, d])
            check()
          })
          check()
        }),
        5000,
        'the Close frame'
      )
      assert.equal(closeFrame.readUInt16BE(0), 4005)
      // Answer the Close frame, as a client must, and keep our side of TCP open: the server is to end it.
      res.socket.write(clientFrame(8, closeFrame.subarray(0, 2)))
      await within(ended, 5000, 'the server to end the TCP connection')
      res.socket.destroy()
    },
  }),
]
