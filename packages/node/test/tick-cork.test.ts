import { connect } from 'node:net'
import { Hono } from 'hono'
import { afterAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createNodeWebSocket } from '../src/index.ts'
import { listen } from './helpers.ts'

// What a connection sends in one tick leaves in one write: the replies to a burst of messages that arrived in one
// TCP read, instead of one system call each; a burst larger than the cork's limit is written as it grows. That a
// Uint8Array filled again after send keeps what was sent is conformance MS16, on every runtime.

type CountedSocket = { _write: (...a: unknown[]) => unknown; _writev?: (...a: unknown[]) => unknown }
let writes = 0
const maxBuffered: number[] = []

const app = new Hono()
const helper = createNodeWebSocket({ app })
app.get(
  '/echo',
  helper.upgradeWebSocket(() => ({
    onOpen: (_e, ws) => {
      // Count the writes that reach this socket's TCP handle.
      const socket = (ws.raw as unknown as { _socket: CountedSocket })._socket
      for (const name of ['_write', '_writev'] as const) {
        const original = socket[name]!
        socket[name] = function (this: unknown, ...args: unknown[]) {
          writes++
          return original.apply(this, args)
        }
      }
    },
    onMessage: (e, ws) => {
      if (e.data === 'burst') {
        // 10 × 32 KiB in one tick: the cork holds back at most 64 KiB before writing.
        for (let i = 0; i < 10; i++) {
          ws.send('x'.repeat(32 * 1024))
          maxBuffered.push(ws.bufferedAmount)
        }
      } else ws.send(String(e.data))
    },
  }))
)
const { server, port } = await listen(app)
helper.injectWebSocket(server)
afterAll(() => new Promise<void>((r) => server.close(() => r())))

/** A masked client text frame (RFC 6455 §5.3), payload under 126 bytes. */
function maskedText(text: string): Buffer {
  const payload = Buffer.from(text)
  const mask = Buffer.from([1, 2, 3, 4])
  const frame = Buffer.alloc(6 + payload.length)
  frame[0] = 0x81
  frame[1] = 0x80 | payload.length
  mask.copy(frame, 2)
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i % 4]!
  return frame
}

it('answers 20 messages that arrived in one TCP read with one write, in order', async () => {
  const socket = connect(port, '127.0.0.1')
  let received = Buffer.alloc(0)
  socket.on('data', (d: Buffer) => {
    received = Buffer.concat([received, d])
  })
  socket.write(
    'GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  )
  while (!received.includes('\r\n\r\n')) await new Promise((r) => setTimeout(r, 5))
  received = received.subarray(received.indexOf('\r\n\r\n') + 4)
  await new Promise((r) => setTimeout(r, 20))
  writes = 0
  const texts = Array.from({ length: 20 }, (_, i) => `message ${i}`)
  socket.write(Buffer.concat(texts.map(maskedText)))
  const expected = texts.reduce((n, t) => n + 2 + t.length, 0)
  while (received.length < expected) await new Promise((r) => setTimeout(r, 5))
  // Unmasked server frames: opcode byte, length byte, payload.
  const echoed: string[] = []
  for (let at = 0; at < received.length; at += 2 + received[at + 1]!)
    echoed.push(received.subarray(at + 2, at + 2 + received[at + 1]!).toString())
  expect(echoed).toEqual(texts)
  expect(writes).toBe(1)
  socket.destroy()
})

it('writes a burst out as it passes 64 KiB instead of holding it to the end of the tick', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/echo`)
  let got = 0
  ws.on('message', () => got++)
  await new Promise((r) => ws.once('open', r))
  ws.send('burst')
  while (got < 10) await new Promise((r) => setTimeout(r, 5))
  // Without the limit the tick would end with all 320 KiB (and its frame headers) counted as buffered.
  expect(Math.max(...maxBuffered)).toBeLessThan(100 * 1024)
  ws.close()
})
