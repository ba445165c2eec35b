import assert from 'node:assert/strict'
import { frame, OP } from '../runner/raw-socket.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { has, only } from './helpers.ts'
import {
  assertUnmasked,
  binary,
  bytes,
  closeCleanly,
  cont,
  echoes,
  failsWith,
  rawOpen,
  text,
} from './rfc-helpers.ts'

/** Framing: payload length encodings, coalesced and split frames. */
const framing: Scenario[] = [
  ...[0, 125, 126, 65535].map((n, i) =>
    scenario({
      id: `RF${i + 1}`,
      title: `a ${n}-byte text frame is echoed with the same bytes${n >= 126 ? ' (16-bit length)' : ''}`,
      run: (t) => echoes(t, [text(bytes(n))], { opcode: OP.text, payload: bytes(n) }),
    })
  ),
  scenario({
    id: 'RF5',
    title: 'a 65,536-byte binary frame (64-bit length) is echoed with the same bytes',
    run: (t) => {
      const payload = Buffer.from(Array.from({ length: 65536 }, (_, i) => i % 251))
      return echoes(t, [binary(payload)], { opcode: OP.binary, payload })
    },
  }),
  scenario({
    id: 'RF6',
    title: 'a frame written one byte per TCP write is assembled and echoed',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      const bytesOfFrame = frame(text('split into bytes'))
      await raw.sendEach(...[...bytesOfFrame].map((b) => Buffer.from([b])))
      const [got] = await raw.take(OP.text)
      assert.equal(got!.payload.toString(), 'split into bytes')
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF7',
    title: 'ten frames in one TCP write are echoed in order',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(...Array.from({ length: 10 }, (_, i) => text(`m${i}`)))
      const got = await raw.take(OP.text, 10)
      assert.deepEqual(
        got.map((f) => f.payload.toString()),
        Array.from({ length: 10 }, (_, i) => `m${i}`)
      )
      assertUnmasked(raw.frames)
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF8',
    title: 'an unmasked client frame fails the connection with 1002',
    requires: ['protocolErrorClose', 'maskedFramesOnly'],
    run: (t) => failsWith(t, [{ opcode: OP.text, payload: 'bare', mask: false }], { code: 1002 }),
  }),
]

/** Ping and pong (RFC 6455 §5.5.2, §5.5.3). */
const pings: Scenario[] = [
  scenario({
    id: 'RF9',
    title: 'a ping without payload is answered with an empty pong',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send({ opcode: OP.ping })
      const [pong] = await raw.take(OP.pong)
      assert.equal(pong!.payload.length, 0)
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF10',
    title: 'a ping with a 125-byte binary payload is answered with a pong of the same bytes',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      const payload = Buffer.from(Array.from({ length: 125 }, (_, i) => 255 - i))
      raw.send({ opcode: OP.ping, payload })
      const [pong] = await raw.take(OP.pong)
      assert.ok(pong!.payload.equals(payload), `the pong holds <${pong!.payload.length}> other bytes`)
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF11',
    title: 'a ping with a 126-byte payload fails the connection with 1002 (no pong)',
    requires: ['protocolErrorClose', 'strictControlFrames'],
    async run(t) {
      await failsWith(t, [{ opcode: OP.ping, payload: bytes(126) }], { code: 1002 })
    },
  }),
  scenario({
    id: 'RF12',
    title: 'a fragmented ping (FIN clear) fails the connection with 1002',
    requires: ['protocolErrorClose', 'strictControlFrames'],
    run: (t) => failsWith(t, [{ opcode: OP.ping, payload: 'a', fin: false }, cont('b')], { code: 1002 }),
  }),
  scenario({
    id: 'RF13',
    title: 'an unsolicited pong is ignored: the connection keeps echoing',
    async run(t) {
      await echoes(t, [{ opcode: OP.pong, payload: 'unasked' }, text('after pong')], {
        opcode: OP.text,
        payload: Buffer.from('after pong'),
      })
    },
  }),
  scenario({
    id: 'RF14',
    title: 'a pong with a 125-byte payload is ignored',
    run: (t) =>
      echoes(t, [{ opcode: OP.pong, payload: bytes(125) }, text('still here')], {
        opcode: OP.text,
        payload: Buffer.from('still here'),
      }),
  }),
  scenario({
    id: 'RF15',
    title: 'a ping between the fragments of a message is answered and the message is assembled',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(text('frag', false), { opcode: OP.ping, payload: 'mid' }, cont('mented'))
      const [pong] = await raw.take(OP.pong)
      assert.equal(pong!.payload.toString(), 'mid')
      const [msg] = await raw.take(OP.text)
      assert.equal(msg!.payload.toString(), 'fragmented')
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF16',
    title: 'ten pings in a row: pongs carry ping payloads in order, the last ping is answered',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(...Array.from({ length: 10 }, (_, i) => ({ opcode: OP.ping, payload: `p${i}` })))
      // RFC 6455 §5.5.3 lets a server answer only the most recent of several pings.
      await raw.until(
        () => raw.frames.some((f) => f.opcode === OP.pong && f.payload.toString() === 'p9'),
        5000,
        'the pong of the last ping'
      )
      const seen = raw.frames
        .filter((f) => f.opcode === OP.pong)
        .map((f) => Number(f.payload.toString().slice(1)))
      assert.deepEqual(
        seen,
        [...seen].sort((a, b) => a - b),
        `pongs out of order: ${seen.join(',')}`
      )
      t.note(`${seen.length} pong(s) for 10 pings`)
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF17',
    title: 'a ping never reaches onMessage',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send({ opcode: OP.ping, payload: 'ping-only' }, text('marker'))
      await raw.take(OP.text)
      const msgs = only(await t.waitForLog(id, has('message')), 'message')
      assert.equal(msgs.length, 1, `onMessage ran ${msgs.length} times for one message and a ping`)
      await closeCleanly(t, raw, id)
    },
  }),
]

/** Reserved bits without a negotiated extension (RFC 6455 §5.2). */
const reservedBits: Scenario[] = [
  ...(
    [
      [4, 'RSV1', OP.text],
      [2, 'RSV2', OP.text],
      [1, 'RSV3', OP.text],
      [7, 'all three reserved bits', OP.binary],
    ] as const
  ).map(([rsv, name, opcode], i) =>
    scenario({
      id: `RF${18 + i}`,
      title: `${name} set on a ${opcode === OP.text ? 'text' : 'binary'} frame fails the connection with 1002`,
      requires: ['protocolErrorClose'],
      run: (t) => failsWith(t, [{ opcode, payload: 'reserved', rsv }], { code: 1002 }),
    })
  ),
  scenario({
    id: 'RF22',
    title: 'a reserved bit on a ping fails the connection with 1002',
    requires: ['protocolErrorClose', 'strictControlFrames'],
    run: (t) => failsWith(t, [{ opcode: OP.ping, payload: 'x', rsv: 4 }], { code: 1002 }),
  }),
  scenario({
    id: 'RF23',
    title: 'a reserved bit on a continuation frame fails the connection with 1002',
    requires: ['protocolErrorClose'],
    run: (t) => failsWith(t, [text('a', false), { opcode: OP.cont, payload: 'b', rsv: 2 }], { code: 1002 }),
  }),
  scenario({
    id: 'RF24',
    title: 'a reserved bit after a valid message: the message is echoed first, then 1002',
    requires: ['protocolErrorClose'],
    run: (t) =>
      failsWith(t, [{ opcode: OP.text, payload: 'bad', rsv: 1 }], { code: 1002, before: [text('good')] }),
  }),
]

/** Reserved opcodes (RFC 6455 §5.2). */
const opcodes: Scenario[] = [
  ...[3, 4, 5, 6, 7, 11, 12, 13, 14, 15].map((op, i) =>
    scenario({
      id: `RF${25 + i}`,
      title: `reserved ${op < 8 ? 'data' : 'control'} opcode ${op} fails the connection with 1002`,
      requires: ['protocolErrorClose'],
      run: (t) => failsWith(t, [{ opcode: op, payload: op < 8 ? 'payload' : '' }], { code: 1002 }),
    })
  ),
  scenario({
    id: 'RF35',
    title: 'a reserved opcode after a valid message: the message is echoed first, then 1002',
    requires: ['protocolErrorClose'],
    run: (t) => failsWith(t, [{ opcode: 5 }], { code: 1002, before: [text('first')] }),
  }),
]

/** RFC 6455 framing, control frames, reserved bits and opcodes, over raw sockets. */
export const rfcFrames: Scenario[] = [...framing, ...pings, ...reservedBits, ...opcodes]
