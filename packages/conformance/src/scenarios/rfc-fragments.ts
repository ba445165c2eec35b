import assert from 'node:assert/strict'
import { OP } from '../runner/raw-socket.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { has, only } from './helpers.ts'
import { binary, closeCleanly, cont, echoes, failsWith, hex, rawOpen, text } from './rfc-helpers.ts'

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

/** RFC 6455 fragmentation and UTF-8 in text messages, over raw sockets. */
export const rfcFragments: Scenario[] = [...fragments, ...utf8]
