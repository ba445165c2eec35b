import assert from 'node:assert/strict'
import { header, rawRequest, upgradeRequest } from '../runner/client.ts'
import { OP } from '../runner/raw-socket.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { only, settle } from './helpers.ts'
import { closeFrame as close, closeEntries, failsWith, hex, rawOpen, text } from './rfc-helpers.ts'

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

/** RFC 6455 close handling and handshake negatives, over raw sockets. */
export const rfcClose: Scenario[] = [...closing, ...handshakes]
