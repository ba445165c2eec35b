import assert from 'node:assert/strict'
import { OP } from '../runner/raw-socket.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { has, settle } from './helpers.ts'
import { assertFailedOnServer, failsWith, hex, rawOpen, text } from './rfc-helpers.ts'

/** Payload limits while a message arrives (issue inputs 3 and 4). */
const limits: Scenario[] = [
  scenario({
    id: 'RF93',
    title:
      'one binary frame of 64 KiB on a route with maxPayload 1024 gets Close 1009, onClose 1009 not clean',
    run: (t) =>
      failsWith(t, [{ opcode: OP.binary, payload: Buffer.alloc(64 * 1024) }], {
        code: 1009,
        path: '/ws/small',
      }),
  }),
  scenario({
    id: 'RF94',
    title: 'a message of exactly maxPayload (1024 bytes) is delivered',
    async run(t) {
      const { raw } = await rawOpen(t, '/ws/small')
      raw.send({ opcode: OP.binary, payload: Buffer.alloc(1024, 7) })
      const [got] = await raw.take(OP.binary)
      assert.equal(got!.payload.length, 1024)
      raw.destroy()
    },
  }),
  scenario({
    id: 'RF95',
    title:
      'fragments of 512 bytes totalling 1,536 over maxPayload 1024 get Close 1009; nothing reaches onMessage',
    run: (t) =>
      failsWith(
        t,
        [
          { opcode: OP.binary, payload: Buffer.alloc(512), fin: false },
          { opcode: OP.cont, payload: Buffer.alloc(512), fin: false },
          { opcode: OP.cont, payload: Buffer.alloc(512) },
        ],
        { code: 1009, path: '/ws/small' }
      ),
  }),
  scenario({
    id: 'RF96',
    title:
      'issue input 3: a 20 KiB frame over maxPayload 16 KiB, the Close never answered, TCP dropped: onClose 1009 or 1006 once, not clean, never 1005',
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/rf/16k', { answerClose: false })
      raw.send({ opcode: OP.binary, payload: Buffer.alloc(20 * 1024) })
      await raw
        .until(() => raw.closeFrame !== undefined || raw.ended, 3000, 'Close 1009')
        .catch(() => undefined)
      t.note(`wire: ${raw.describe()}`)
      await new Promise((r) => setTimeout(r, 300))
      raw.destroy()
      await assertFailedOnServer(t, id, [1009, 1006])
    },
  }),
  scenario({
    id: 'RF97',
    title:
      'issue input 4: a 1,025-byte first fragment over maxPayload 1024 gets Close 1009 before the final fragment',
    requires: ['streamingPayloadLimit'],
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/small')
      raw.send({ opcode: OP.binary, payload: Buffer.alloc(1025), fin: false })
      // The final fragment is held back: the limit must be seen from what arrived so far.
      await raw.until(
        () => raw.closeFrame !== undefined || raw.ended,
        4000,
        'Close 1009 before the final fragment'
      )
      assert.equal(raw.closeFrame?.code, 1009, raw.describe())
      raw.send({ opcode: OP.cont, payload: Buffer.alloc(4) })
      await raw.outcome()
      await assertFailedOnServer(t, id, 1009)
    },
  }),
  scenario({
    id: 'RF98',
    title:
      'a frame header announcing 2 GiB on a 1024-byte route gets Close 1009 without the payload being sent',
    requires: ['streamingPayloadLimit'],
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/small')
      const head = Buffer.alloc(14)
      head[0] = 0x82
      head[1] = 0x80 | 127
      head.writeBigUInt64BE(2n ** 31n, 2)
      raw.send(head, Buffer.alloc(16))
      await raw.until(
        () => raw.closeFrame !== undefined || raw.ended,
        4000,
        'Close 1009 for the announced length'
      )
      assert.equal(raw.closeFrame?.code, 1009, raw.describe())
      await raw.outcome()
      await assertFailedOnServer(t, id, 1009)
    },
  }),
]

/** Peers that vanish (RFC 6455 §7.1.5: 1006 when no Close frame arrived). */
const deadPeers: Scenario[] = [
  scenario({
    id: 'RF99',
    title:
      'a client that drops TCP in the middle of a frame: onClose 1006 once, not clean, nothing delivered',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      const whole = Buffer.concat([Buffer.from([0x81, 0x80 | 100]), Buffer.alloc(4), Buffer.alloc(50)])
      raw.send(whole)
      await settle(50)
      raw.destroy()
      await assertFailedOnServer(t, id, 1006)
    },
  }),
  scenario({
    id: 'RF100',
    title: 'a client that drops TCP right after the 101: onClose 1006 once, not clean',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.destroy()
      await assertFailedOnServer(t, id, 1006)
    },
  }),
  scenario({
    id: 'RF101',
    title: 'a client that half-closes TCP (FIN) without a Close frame: onClose 1006 once, not clean',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(text('before fin'))
      await raw.take(OP.text)
      raw.socket.end()
      await assertFailedOnServer(t, id, 1006, 1)
      raw.destroy()
    },
  }),
  scenario({
    id: 'RF102',
    title: 'a client that drops TCP mid-fragmented message: onClose 1006 once, the fragments never delivered',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(text('part one ', false), { opcode: OP.cont, payload: 'part two', fin: false })
      await settle(50)
      raw.destroy()
      await assertFailedOnServer(t, id, 1006)
    },
  }),
  scenario({
    id: 'RF103',
    title:
      'issue input 6: after a reserved opcode, onClose runs once and the connection leaves the live view',
    async run(t) {
      const tag = t.newId()
      const { raw, id } = await rawOpen(t, `/ws/echo?tag=${tag}`)
      const stats = async () =>
        (await (await fetch(t.httpUrl(`/stats?tag=${tag}`))).json()) as { tagged: number }
      await t.waitForLog(id, has('open'))
      assert.equal((await stats()).tagged, 1, 'the open connection is in the live view')
      raw.send({ opcode: 6, payload: 'reserved' })
      await raw.outcome()
      await assertFailedOnServer(t, id, [1002, 1006])
      assert.equal((await stats()).tagged, 0, 'the failed connection is still in the live view')
    },
  }),
  scenario({
    id: 'RF104',
    title: 'after a frame over maxPayload, onClose runs once and the connection leaves the live view',
    async run(t) {
      const tag = t.newId()
      const { raw, id } = await rawOpen(t, `/ws/small?tag=${tag}`)
      raw.send({ opcode: OP.binary, payload: Buffer.alloc(4096) })
      await raw.outcome()
      await assertFailedOnServer(t, id, [1009, 1006])
      const { tagged } = (await (await fetch(t.httpUrl(`/stats?tag=${tag}`))).json()) as { tagged: number }
      assert.equal(tagged, 0, 'the failed connection is still in the live view')
    },
  }),
  scenario({
    id: 'RF110',
    title:
      'on every runtime: after a reserved bit, nothing is delivered, TCP ends, onClose runs once with 1002 or 1006, not clean',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send({ opcode: OP.text, payload: 'reserved', rsv: 2 })
      const out = await raw.outcome()
      assert.ok(
        out.close === undefined || out.close.code === 1002,
        `a Close other than 1002: ${raw.describe()}`
      )
      t.note(out.close ? 'Close 1002 on the wire' : 'TCP ended without a Close frame')
      await assertFailedOnServer(t, id, [1002, 1006])
    },
  }),
  scenario({
    id: 'RF111',
    title:
      'where UTF-8 is checked: after 61 C3 28 nothing reaches onMessage, onClose runs once with 1007 or 1006, not clean',
    requires: ['strictUtf8'],
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(text(hex('61 c3 28')))
      const out = await raw.outcome()
      assert.equal(out.frames.filter((f) => f.opcode === OP.text).length, 0, `echoed: ${raw.describe()}`)
      assert.ok(
        out.close === undefined || out.close.code === 1007,
        `a Close other than 1007: ${raw.describe()}`
      )
      t.note(out.close ? 'Close 1007 on the wire' : 'TCP ended without a Close frame')
      await assertFailedOnServer(t, id, [1007, 1006])
    },
  }),
]

/** Payload limits while a message arrives, and dead peers, over raw sockets. */
export const rfcLimits: Scenario[] = [...limits, ...deadPeers]
