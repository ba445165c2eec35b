import assert from 'node:assert/strict'
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib'
import { OP } from '../runner/raw-socket.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { has, only } from './helpers.ts'
import { capabilities, closeFrame as close, hex, rawOpen, text } from './rfc-helpers.ts'

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

/** permessage-deflate (RFC 7692) through the helper's `perMessageDeflate` option, over raw sockets. */
export const rfcCompression: Scenario[] = [...compression]
