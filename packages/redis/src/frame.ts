import type { WSBrokerMessage } from '@honokit/ws-core'

// One broker message as the bytes of one Redis message, binary-safe:
//   version (1) · kind (1: 0 text, 1 binary) · origin length (2) · origin · topic length (2) · topic · payload
const VERSION = 1
const TEXT = 0
const BINARY = 1
const MAX_FIELD = 0xffff

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** Encodes a message for the channel. Throws a RangeError for a topic or origin over 65,535 UTF-8 bytes. */
export function encodeMessage(message: WSBrokerMessage): Uint8Array {
  const origin = encoder.encode(message.origin)
  const topic = encoder.encode(message.topic)
  if (topic.length > MAX_FIELD) {
    throw new RangeError(
      `a topic carried through Redis may have at most ${MAX_FIELD} UTF-8 bytes, got ${topic.length}`
    )
  }
  if (origin.length > MAX_FIELD) throw new RangeError(`a broker origin may have at most ${MAX_FIELD} bytes`)
  const text = typeof message.data === 'string'
  const payload = text ? encoder.encode(message.data as string) : (message.data as Uint8Array)
  const out = new Uint8Array(6 + origin.length + topic.length + payload.length)
  const view = new DataView(out.buffer)
  out[0] = VERSION
  out[1] = text ? TEXT : BINARY
  view.setUint16(2, origin.length)
  out.set(origin, 4)
  let at = 4 + origin.length
  view.setUint16(at, topic.length)
  out.set(topic, at + 2)
  at += 2 + topic.length
  out.set(payload, at)
  return out
}

/** Decodes what `encodeMessage` made; `undefined` for anything else that was published on the channel. */
export function decodeMessage(bytes: Uint8Array): WSBrokerMessage | undefined {
  if (bytes.length < 6 || bytes[0] !== VERSION || (bytes[1] !== TEXT && bytes[1] !== BINARY)) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const originLength = view.getUint16(2)
  const topicAt = 4 + originLength
  if (topicAt + 2 > bytes.length) return undefined
  const topicLength = view.getUint16(topicAt)
  const payloadAt = topicAt + 2 + topicLength
  if (payloadAt > bytes.length) return undefined
  try {
    const origin = decoder.decode(bytes.subarray(4, topicAt))
    const topic = decoder.decode(bytes.subarray(topicAt + 2, payloadAt))
    const payload = bytes.subarray(payloadAt)
    // Binary payloads are copied out of the client's buffer, which may be reused or shared.
    const data = bytes[1] === TEXT ? decoder.decode(payload) : payload.slice()
    return { origin, topic, data }
  } catch {
    return undefined
  }
}
