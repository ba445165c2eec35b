import type { WSReadyState, WSTransport } from '@honokit/ws-core/adapter'
import { publishFrame, writeFrame } from './publish-frame.ts'
import { corkForTick, flushCork, flushPastCorkMax } from './tick-cork.ts'
import type { NodeWebSocketLike } from './websocket-like.ts'

// A publish sends one string to every subscriber in a row, and `ws` would encode it to UTF-8 for each send: keep
// the last short text's bytes, so a fan-out encodes once (measured: 500 subscribers, Node fan-out ÷ raw).
const TEXT_CACHE_MAX = 16 * 1024
let lastText: string | undefined
let lastBytes: Buffer | undefined
function textBytes(text: string): Buffer {
  if (text !== lastText) {
    lastBytes = Buffer.from(text, 'utf8')
    lastText = text
  }
  return lastBytes!
}

// A corked socket holds a sent buffer until the tick ends, and the caller may fill it again before (a `Uint8Array`
// reused for each message): bytes up to COPY_MAX are copied; a larger view is sent uncorked, written at once as `ws`
// alone would (and, like any write the peer is not reading yet, held by reference once the socket buffer is full).
const COPY_MAX = 16 * 1024

// ws's send options, one object per kind instead of one per message.
const SEND_OPTIONS = [
  [
    { binary: false, compress: false },
    { binary: false, compress: true },
  ],
  [
    { binary: true, compress: false },
    { binary: true, compress: true },
  ],
] as const
const NO_OPTIONS = {}

/** How core drives a `ws` WebSocket, shared by every connection. */
export const transport: WSTransport<NodeWebSocketLike> = {
  send: (raw, data, options) => {
    const text = typeof data === 'string'
    const sendOptions = SEND_OPTIONS[text ? 0 : 1][options.compress ? 1 : 0]
    if (text) {
      corkForTick(raw)
      raw.send(data.length <= TEXT_CACHE_MAX ? textBytes(data) : data, sendOptions)
    } else if (data.byteLength <= COPY_MAX) {
      corkForTick(raw)
      raw.send(Buffer.from(data), sendOptions)
    } else {
      flushCork(raw)
      raw.send(data, sendOptions)
    }
    flushPastCorkMax(raw)
  },
  close: (raw, code, reason) => raw.close(code, reason),
  readyState: (raw) => raw.readyState as WSReadyState,
  ping: (raw) => raw.ping(),
  terminate: (raw) => {
    flushCork(raw)
    raw.terminate()
  },
  bufferedAmount: (raw) => raw.bufferedAmount,
  frame: publishFrame,
  sendFrame: (raw, frame, data) => {
    corkForTick(raw)
    if (!writeFrame(raw, frame as Buffer)) transport.send(raw, data, NO_OPTIONS)
    flushPastCorkMax(raw)
  },
}
