import assert from 'node:assert/strict'
import { frame, OP } from '../runner/raw-socket.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { has, only } from './helpers.ts'
import { assertUnmasked, closeCleanly, echoes, failsWith, hex, rawOpen } from './rfc-helpers.ts'

const text = (s: string | Buffer, fin = true) => ({ opcode: OP.text, payload: s, fin })
const binary = (s: string | Buffer, fin = true) => ({ opcode: OP.binary, payload: s, fin })
const cont = (s: string | Buffer, fin = true) => ({ opcode: OP.cont, payload: s, fin })
const bytes = (n: number, fill = 0x61) => Buffer.alloc(n, fill)

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

/** Fragmentation (RFC 6455 §5.4). */
const fragments: Scenario[] = [
  scenario({
    id: 'RF36',
    title: 'a text message in two fragments arrives as one message',
    run: (t) =>
      echoes(t, [text('hello ', false), cont('world')], {
        opcode: OP.text,
        payload: Buffer.from('hello world'),
      }),
  }),
  scenario({
    id: 'RF37',
    title: 'a text message in ten fragments, some empty, arrives as one message',
    run: (t) =>
      echoes(
        t,
        [
          text('', false),
          ...Array.from({ length: 8 }, (_, i) => cont(i % 3 === 0 ? '' : `${i}`, false)),
          cont('!'),
        ],
        { opcode: OP.text, payload: Buffer.from('12457!') }
      ),
  }),
  scenario({
    id: 'RF38',
    title: 'a binary message in fragments arrives as one ArrayBuffer of exactly its bytes',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(binary(hex('00 01'), false), cont(hex('02'), false), cont(hex('03 04 05')))
      const [got] = await raw.take(OP.binary)
      assert.deepEqual([...got!.payload], [0, 1, 2, 3, 4, 5])
      const [msg] = only(await t.waitForLog(id, has('message')), 'message')
      assert.deepEqual([msg!.kind, msg!.size], ['arraybuffer', 6])
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF39',
    title: 'fragments sent in separate TCP writes arrive as one message',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      await raw.sendEach(text('one ', false), cont('two ', false), cont('three'))
      const [got] = await raw.take(OP.text)
      assert.equal(got!.payload.toString(), 'one two three')
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF40',
    title: 'a continuation frame (FIN clear) with no message started fails the connection with 1002',
    requires: ['protocolErrorClose'],
    run: (t) => failsWith(t, [cont('orphan', false)], { code: 1002 }),
  }),
  scenario({
    id: 'RF41',
    title: 'a final continuation frame with no message started fails the connection with 1002',
    requires: ['protocolErrorClose'],
    run: (t) => failsWith(t, [cont('orphan')], { code: 1002 }),
  }),
  scenario({
    id: 'RF42',
    title: 'a new text frame inside a fragmented message fails the connection with 1002',
    requires: ['protocolErrorClose'],
    run: (t) => failsWith(t, [text('start', false), text('intruder'), cont('end')], { code: 1002 }),
  }),
  scenario({
    id: 'RF43',
    title: 'a binary frame inside a fragmented text message fails the connection with 1002',
    requires: ['protocolErrorClose'],
    run: (t) => failsWith(t, [text('start', false), binary('intruder', false), cont('end')], { code: 1002 }),
  }),
  scenario({
    id: 'RF44',
    title: 'a message of only empty fragments arrives as one empty text message',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(text('', false), cont('', false), cont(''))
      const [got] = await raw.take(OP.text)
      assert.equal(got!.payload.length, 0)
      const [msg] = only(await t.waitForLog(id, has('message')), 'message')
      assert.deepEqual([msg!.kind, msg!.size], ['string', 0])
      await closeCleanly(t, raw, id)
    },
  }),
  scenario({
    id: 'RF45',
    title: 'a Close between fragments is answered; the unfinished message never reaches onMessage',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(text('never ', false), { opcode: OP.close, payload: hex('03 e8') })
      const out = await raw.outcome()
      assert.equal(out.close?.code, 1000, `expected Close 1000 answered: ${raw.describe()}`)
      const entries = await t.waitForLog(id, has('close'))
      assert.equal(only(entries, 'message').length, 0, 'a partial message reached onMessage')
    },
  }),
  scenario({
    id: 'RF46',
    title: 'a fragmented binary message with an empty first fragment arrives whole',
    run: (t) =>
      echoes(t, [binary('', false), cont(hex('ff fe'))], { opcode: OP.binary, payload: hex('ff fe') }),
  }),
]

/** UTF-8 in text messages (RFC 6455 §8.1). */
const utf8: Scenario[] = [
  scenario({
    id: 'RF47',
    title: 'valid UTF-8 of 1 to 4 bytes per character is echoed with exactly its bytes',
    run: (t) => {
      const s = Buffer.from('a é € 𝄞 日本')
      return echoes(t, [text(s)], { opcode: OP.text, payload: s })
    },
  }),
  ...(
    [
      ['61 c3 28', 'an invalid continuation byte (issue input 1: 61 C3 28)'],
      ['c0 af', 'an overlong encoding (C0 AF)'],
      ['ed a0 80', 'a UTF-16 surrogate (ED A0 80)'],
      ['f4 90 80 80', 'a code point above U+10FFFF (F4 90 80 80)'],
      ['61 e2 82', 'a sequence cut short at the end (E2 82)'],
      ['ff', 'the byte FF'],
    ] as const
  ).map(([bad, what], i) =>
    scenario({
      id: `RF${48 + i}`,
      title: `a text frame with ${what} fails the connection with 1007, nothing reaches onMessage`,
      requires: ['protocolErrorClose', 'strictUtf8'],
      run: (t) => failsWith(t, [text(hex(bad))], { code: 1007 }),
    })
  ),
  scenario({
    id: 'RF54',
    title: 'a character split across two fragments arrives whole',
    run: (t) => {
      const euro = Buffer.from('€')
      return echoes(t, [text(euro.subarray(0, 1), false), cont(euro.subarray(1))], {
        opcode: OP.text,
        payload: euro,
      })
    },
  }),
  scenario({
    id: 'RF55',
    title: 'invalid UTF-8 in the last fragment of a text message fails the connection with 1007',
    requires: ['protocolErrorClose', 'strictUtf8'],
    run: (t) =>
      failsWith(t, [text('valid start ', false), cont(hex('ce ba e1 bd b9 ce bc ce b5 ed a0 80'))], {
        code: 1007,
      }),
  }),
  scenario({
    id: 'RF56',
    title:
      'fail fast: invalid UTF-8 in a first fragment fails the connection with 1007 before the final fragment',
    requires: ['protocolErrorClose', 'strictUtf8', 'utf8FailFast'],
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(text(hex('ce ba f4 90 80 80 61'), false))
      await raw.until(
        () => raw.closeFrame !== undefined || raw.ended,
        4000,
        'Close 1007 before the final fragment'
      )
      assert.equal(raw.closeFrame?.code, 1007, `expected Close 1007: ${raw.describe()}`)
      await raw.outcome()
      const closes = only(await t.waitForLog(id, has('close')), 'close')
      assert.equal(closes[0]?.code, 1007)
    },
  }),
  scenario({
    id: 'RF57',
    title: 'a binary frame holding invalid UTF-8 is delivered as bytes (binary is never validated)',
    run: (t) => echoes(t, [binary(hex('61 c3 28 ff'))], { opcode: OP.binary, payload: hex('61 c3 28 ff') }),
  }),
  scenario({
    id: 'RF58',
    title: 'a literal U+FFFD and U+FFFF in text are valid and echoed as sent',
    run: (t) =>
      echoes(t, [text(hex('ef bf bd ef bf bf'))], { opcode: OP.text, payload: hex('ef bf bd ef bf bf') }),
  }),
  scenario({
    id: 'RF59',
    title: 'a text frame of U+10FFFF and U+0000 is valid and echoed as sent',
    run: (t) => echoes(t, [text(hex('f4 8f bf bf 00'))], { opcode: OP.text, payload: hex('f4 8f bf bf 00') }),
  }),
]

/** RFC 6455 framing, control frames, reserved bits and opcodes, fragmentation and UTF-8, over raw sockets. */
export const rfcFrames: Scenario[] = [
  ...framing,
  ...pings,
  ...reservedBits,
  ...opcodes,
  ...fragments,
  ...utf8,
]
