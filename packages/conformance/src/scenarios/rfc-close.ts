import assert from 'node:assert/strict'
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib'
import { header, rawRequest, upgradeRequest } from '../runner/client.ts'
import { closeBody, OP } from '../runner/raw-socket.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { has, only, settle } from './helpers.ts'
import { assertFailedOnServer, capabilities, closeEntries, failsWith, hex, rawOpen } from './rfc-helpers.ts'

const close = (code: number, reason: string | Buffer = '') => ({
  opcode: OP.close,
  payload: closeBody(code, reason),
})
const text = (s: string | Buffer, fin = true) => ({ opcode: OP.text, payload: s, fin })

/** The client closes with `code`: the server answers with the same code, onClose reports it clean. */
async function clientCloses(t: Parameters<Scenario['run']>[0], code: number, reason = ''): Promise<void> {
  const { raw, id } = await rawOpen(t)
  raw.send(close(code, reason))
  const out = await raw.outcome()
  assert.equal(out.close?.code, code, `expected Close ${code} echoed: ${raw.describe()}`)
  const [c] = await closeEntries(t, id)
  assert.deepEqual([c!.code, c!.reason, c!.wasClean], [code, reason, true])
}

/** Close frames (RFC 6455 §5.5.1, §7.4). */
const closing: Scenario[] = [
  scenario({
    id: 'RF60',
    title: 'a client Close 1000 is answered with 1000, TCP ends, onClose reports 1000 clean',
    run: (t) => clientCloses(t, 1000),
  }),
  scenario({
    id: 'RF61',
    title: 'a client Close without a body is answered; onClose reports 1005 clean',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send({ opcode: OP.close })
      const out = await raw.outcome()
      assert.ok(out.close, `expected a Close answer: ${raw.describe()}`)
      assert.ok([1000, 1005].includes(out.close.code), `answered with ${out.close.code}`)
      const [c] = await closeEntries(t, id)
      assert.deepEqual([c!.code, c!.wasClean], [1005, true])
    },
  }),
  scenario({
    id: 'RF62',
    title: "a client Close 1000 with reason 'bye' reaches onClose with its reason",
    run: (t) => clientCloses(t, 1000, 'bye'),
  }),
  scenario({
    id: 'RF63',
    title: 'a client Close with a 123-byte reason (the most a control frame holds) reaches onClose whole',
    run: (t) => clientCloses(t, 4000, 'r'.repeat(123)),
  }),
  ...(
    [
      [1001, 1002, 1003],
      [1007, 1008, 1009, 1010, 1011],
      [3000, 3999],
      [4000, 4999],
    ] as const
  ).map((codes, i) =>
    scenario({
      id: `RF${64 + i}`,
      title: `client Close codes ${codes.join(', ')} are answered and reach onClose unchanged`,
      async run(t) {
        for (const code of codes) await clientCloses(t, code, `c${code}`)
      },
    })
  ),
  ...(
    [
      [999, 'code 999'],
      [1005, 'code 1005 (reserved: "no code")', true],
      [1006, 'code 1006 (reserved: "abnormal")'],
      [2999, 'code 2999'],
      [0, 'code 0'],
      [1004, 'code 1004 (reserved)'],
      [1015, 'code 1015 (reserved: TLS)'],
      [1016, 'code 1016 (unassigned)'],
      [5000, 'code 5000'],
      [65535, 'code 65535'],
    ] as const
  ).map(([code, what, ...body], i) =>
    scenario({
      id: `RF${68 + i}`,
      title: `a client Close with ${what} is answered with 1002, never echoed; onClose reports 1002 not clean`,
      // A runtime may see code 1005 as an empty Close (closeFrameBody).
      requires: [
        'protocolErrorClose',
        'strictCloseCodes',
        ...(body.length ? (['closeFrameBody'] as const) : []),
      ],
      run: (t) => failsWith(t, [close(code)], { code: 1002 }),
    })
  ),
  scenario({
    id: 'RF78',
    title: 'a client Close with a 1-byte body is answered with 1002',
    requires: ['protocolErrorClose', 'strictCloseCodes', 'closeFrameBody'],
    run: (t) => failsWith(t, [{ opcode: OP.close, payload: hex('03') }], { code: 1002 }),
  }),
  scenario({
    id: 'RF79',
    title: 'a client Close 1000 with a reason of invalid UTF-8 is answered with 1007',
    requires: ['protocolErrorClose', 'strictUtf8'],
    run: (t) => failsWith(t, [close(1000, hex('61 c3 28'))], { code: 1007 }),
  }),
  scenario({
    id: 'RF80',
    title: 'a client Close with a 124-byte reason (a 126-byte control frame) fails the connection with 1002',
    requires: ['protocolErrorClose', 'strictControlFrames'],
    run: (t) => failsWith(t, [close(1000, 'r'.repeat(124))], { code: 1002 }),
  }),
  scenario({
    id: 'RF81',
    title: 'a text frame after the client Close never reaches onMessage',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(close(1000), text('after close'))
      const out = await raw.outcome()
      assert.equal(out.close?.code, 1000, raw.describe())
      assert.equal(
        out.frames.filter((f) => f.opcode === OP.text).length,
        0,
        'the text after Close was echoed'
      )
      await settle()
      assert.equal(only(await t.log(id), 'message').length, 0, 'onMessage ran after the client Close')
    },
  }),
  scenario({
    id: 'RF82',
    title: 'two client Close frames are answered once; onClose runs once',
    async run(t) {
      const { raw, id } = await rawOpen(t)
      raw.send(close(4001, 'a'), close(4002, 'b'))
      const out = await raw.outcome()
      assert.equal(out.frames.filter((f) => f.opcode === OP.close).length, 1, raw.describe())
      const closes = await closeEntries(t, id)
      assert.equal(closes.length, 1)
      assert.equal(closes[0]!.code, 4001)
    },
  }),
  scenario({
    id: 'RF83',
    title: "the server closes first (4000) and the client answers: onClose reports the server's 4000, clean",
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/rf/close-on-message?code=4000&reason=server')
      raw.send(text('close now'))
      const out = await raw.outcome()
      assert.deepEqual([out.close?.code, out.close?.reason], [4000, 'server'], raw.describe())
      const [c] = await closeEntries(t, id)
      assert.deepEqual([c!.code, c!.reason, c!.wasClean], [4000, 'server', true])
    },
  }),
  scenario({
    id: 'RF84',
    title: "the server closes first (4000), the client answers with 4001: onClose reports the server's 4000",
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/rf/close-on-message?code=4000', { answerClose: false })
      raw.send(text('close now'))
      await raw.until(() => raw.closeFrame !== undefined, 5000, 'the server Close')
      raw.send(close(4001, 'client'))
      await raw.outcome()
      const [c] = await closeEntries(t, id)
      assert.equal(c!.code, 4000, `onClose reported ${c!.code} (${c!.reason})`)
    },
  }),
  scenario({
    id: 'RF85',
    title:
      'the server closes first and the client drops TCP without answering: onClose reports 4000, not clean',
    requires: ['closeHandshakeReport'],
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/rf/close-on-message?code=4000', { answerClose: false })
      raw.send(text('close now'))
      await raw.until(() => raw.closeFrame !== undefined, 5000, 'the server Close')
      raw.destroy()
      const [c] = await closeEntries(t, id)
      assert.deepEqual(
        [c!.code, c!.wasClean],
        [4000, false],
        `the server saw: ${JSON.stringify(await t.log(id))}`
      )
    },
  }),
  scenario({
    id: 'RF86',
    title:
      "frames the client still sends after the server's Close (§1.4 allows them) leave onClose once with 4000",
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/rf/close-on-message?code=4000', { answerClose: false })
      raw.send(text('close now'))
      await raw.until(() => raw.closeFrame !== undefined, 5000, 'the server Close')
      raw.send(text('in flight'), { opcode: OP.ping, payload: 'p' }, close(4000))
      await raw.outcome()
      const closes = await closeEntries(t, id)
      assert.equal(closes.length, 1, `onClose ran ${closes.length} times`)
      assert.equal(closes[0]!.code, 4000)
    },
  }),
]

/** Handshake requests a server must not upgrade (RFC 6455 §4.2.1). */
const handshakes: Scenario[] = [
  ...(
    [
      ['without Sec-WebSocket-Key', { 'Sec-WebSocket-Key': undefined }],
      [
        'with a Sec-WebSocket-Key of 15 bytes',
        { 'Sec-WebSocket-Key': Buffer.alloc(15, 1).toString('base64') },
      ],
      ['without Sec-WebSocket-Version', { 'Sec-WebSocket-Version': undefined }],
      ['with Sec-WebSocket-Version 8', { 'Sec-WebSocket-Version': '8' }],
      ['without Connection: Upgrade', { Connection: 'keep-alive' }],
      ['with Upgrade: websocket2', { Upgrade: 'websocket2' }],
    ] as const
  ).map(([what, headers], i) =>
    scenario({
      id: `RF${87 + i}`,
      title: `an upgrade request ${what} is not upgraded`,
      async run(t) {
        const res = await rawRequest(t.port, upgradeRequest(t.port, '/ws/echo', headers))
        res.socket.destroy()
        assert.notEqual(res.status, 101, `upgraded anyway: ${res.statusLine}`)
        assert.ok(res.status >= 200 && res.status < 500, `answered ${res.statusLine}`)
        if (what.includes('Version 8')) assert.equal(header(res, 'sec-websocket-version'), '13')
      },
    })
  ),
]

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

const OFFER = 'permessage-deflate; client_max_window_bits'
const squeeze = 'compress me '.repeat(200)
/** A permessage-deflate message body (RFC 7692 §7.2.1: the trailing 00 00 FF FF removed). */
const deflated = (s: string) => {
  const out = deflateRawSync(Buffer.from(s), { finishFlush: constants.Z_SYNC_FLUSH })
  return out.subarray(0, out.length - 4)
}
const inflated = (b: Buffer) =>
  inflateRawSync(Buffer.concat([b, hex('00 00 ff ff')]), { finishFlush: constants.Z_SYNC_FLUSH }).toString()

/** permessage-deflate (RFC 7692) through the helper's `perMessageDeflate` option. */
const compression: Scenario[] = [
  scenario({
    id: 'RF105',
    title: 'an offer of permessage-deflate is accepted exactly when the helper enables perMessageDeflate',
    async run(t) {
      const caps = await capabilities(t)
      const enabled = caps.perMessageDeflate?.supported === true
      const { raw, id } = await rawOpen(t, '/ws/rf/compress', {
        headers: { 'Sec-WebSocket-Extensions': OFFER },
      })
      const ext = raw.header('sec-websocket-extensions') ?? ''
      assert.equal(/permessage-deflate/.test(ext), enabled, `enabled: ${enabled}, the 101 answered '${ext}'`)
      raw.send(text(`c:${squeeze}`))
      const [got] = await raw.take(OP.text)
      assert.equal(
        got!.rsv === 4,
        enabled,
        `RSV1 ${got!.rsv === 4 ? 'set' : 'clear'} with permessage-deflate ${enabled ? 'on' : 'off'}`
      )
      assert.equal(enabled ? inflated(got!.payload) : got!.payload.toString(), squeeze)
      t.note(`permessage-deflate ${enabled ? 'negotiated' : 'not negotiated'}`)
      raw.send(close(1000))
      await raw.outcome()
      await t.waitForLog(id, has('close'))
    },
  }),
  scenario({
    id: 'RF106',
    title: 'negotiated: send with { compress: true } sets RSV1 and the payload inflates to the message',
    requires: ['perMessageDeflate'],
    async run(t) {
      const { raw } = await rawOpen(t, '/ws/rf/compress', { headers: { 'Sec-WebSocket-Extensions': OFFER } })
      raw.send(text(`c:${squeeze}`))
      const [got] = await raw.take(OP.text)
      assert.equal(got!.rsv, 4, 'RSV1 is set on a compressed message')
      assert.ok(got!.payload.length < squeeze.length, 'the payload is smaller than the text')
      assert.equal(inflated(got!.payload), squeeze)
      raw.destroy()
    },
  }),
  scenario({
    id: 'RF107',
    title: 'negotiated: send with { compress: false } sends RSV1 clear and the plain bytes',
    requires: ['perMessageDeflate', 'compressPerSend'],
    async run(t) {
      const { raw } = await rawOpen(t, '/ws/rf/compress', { headers: { 'Sec-WebSocket-Extensions': OFFER } })
      raw.send(text(`u:${squeeze}`))
      const [got] = await raw.take(OP.text)
      assert.equal(got!.rsv, 0, 'RSV1 is clear with compress: false')
      assert.equal(got!.payload.toString(), squeeze)
      raw.destroy()
    },
  }),
  scenario({
    id: 'RF108',
    title: 'negotiated: a compressed client message (RSV1) reaches onMessage inflated',
    requires: ['perMessageDeflate'],
    async run(t) {
      const { raw, id } = await rawOpen(t, '/ws/rf/compress', {
        headers: { 'Sec-WebSocket-Extensions': OFFER },
      })
      raw.send({ opcode: OP.text, payload: deflated(`u:${squeeze}`), rsv: 4 })
      const [got] = await raw.take(OP.text)
      // Where compress cannot be chosen per send (compressPerSend), the answer comes back compressed too.
      assert.equal(got!.rsv === 4 ? inflated(got!.payload) : got!.payload.toString(), squeeze)
      const [m] = only(await t.waitForLog(id, has('message')), 'message')
      assert.equal(m!.size, squeeze.length + 2)
      raw.destroy()
    },
  }),
  scenario({
    id: 'RF109',
    title: 'not offered: send with { compress: true } sends RSV1 clear and the plain bytes (issue input 5)',
    async run(t) {
      const { raw } = await rawOpen(t, '/ws/rf/compress')
      assert.equal(
        raw.header('sec-websocket-extensions'),
        undefined,
        'an extension was sent though none was offered'
      )
      raw.send(text(`c:${squeeze}`))
      const [got] = await raw.take(OP.text)
      assert.equal(got!.rsv, 0)
      assert.equal(got!.payload.toString(), squeeze)
      raw.destroy()
    },
  }),
]

/** RFC 6455 close handling, handshake negatives, payload limits, dead peers and permessage-deflate, over raw sockets. */
export const rfcClose: Scenario[] = [...closing, ...handshakes, ...limits, ...deadPeers, ...compression]
