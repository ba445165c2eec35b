import { Hono } from 'hono'
import { afterAll, expect, it } from 'vitest'
import WebSocket, * as wsModule from 'ws'
import { createNodeWebSocket } from '../src/index.ts'
import { listen } from './helpers.ts'

// A publish is framed once and written to each subscriber's socket directly, unless ws's own sender is busy with a
// message of its own (compressing one): then ws sends it, after that message.

type SenderProto = { send(...args: unknown[]): void }
const senderProto = (wsModule as unknown as { Sender: { prototype: SenderProto } }).Sender.prototype

const app = new Hono()
const helper = createNodeWebSocket({ app, perMessageDeflate: true })
const BIG = 'x'.repeat(200_000)
app.get(
  '/sub',
  helper.upgradeWebSocket(() => ({
    onOpen: (_e, ws) => ws.subscribe('t'),
    onMessage: (e, ws) => {
      // Starts an asynchronous compression in ws's sender, then publishes behind it.
      if (e.data === 'compress, then publish') {
        ws.send(BIG, { compress: true })
        helper.publish('t', 'after the big one')
      }
    },
  }))
)
const { server, port } = await listen(app)
helper.injectWebSocket(server)
afterAll(() => new Promise<void>((r) => server.close(() => r())))

/** Opens a subscriber; resolves once the server has subscribed it (a publish reaches it). */
async function subscriber(): Promise<{ ws: WebSocket; messages: { data: string; binary: boolean }[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/sub`)
  const messages: { data: string; binary: boolean }[] = []
  ws.on('message', (d: Buffer, binary) =>
    messages.push({ data: binary ? d.toString('hex') : d.toString(), binary })
  )
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  while (helper.connections.size === 0 || [...helper.connections].some((c) => !c.isSubscribed('t'))) {
    await new Promise((r) => setTimeout(r, 5))
  }
  return { ws, messages }
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5))
}

/** Counts ws's per-send framing (`Sender#send`) during `run`, which must be synchronous. */
function sendsDuring(run: () => void): number {
  const original = senderProto.send
  let sends = 0
  senderProto.send = function (this: unknown, ...args: unknown[]) {
    sends++
    return original.apply(this, args)
  }
  try {
    run()
  } finally {
    senderProto.send = original
  }
  return sends
}

it('writes one pre-framed text or binary publish to every subscriber, without a ws send per subscriber', async () => {
  const subs = [await subscriber(), await subscriber(), await subscriber()]
  const sends = sendsDuring(() => {
    helper.publish('t', 'héllo')
    helper.publish('t', new Uint8Array([0, 1, 254, 255]))
  })
  expect(sends).toBe(0)
  for (const s of subs) await until(() => s.messages.length === 2)
  for (const s of subs)
    expect(s.messages).toEqual([
      { data: 'héllo', binary: false },
      { data: '0001feff', binary: true },
    ])
  for (const s of subs) s.ws.close()
  await until(() => helper.connections.size === 0)
})

it('keeps a publish behind a message ws is still compressing (ws sends it, in order)', async () => {
  const s = await subscriber()
  // The extension was negotiated, so ws's sender compresses BIG asynchronously.
  expect(s.ws.extensions).toContain('permessage-deflate')
  s.ws.send('compress, then publish')
  await until(() => s.messages.length === 2)
  expect(s.messages.map((m) => m.data.length)).toEqual([BIG.length, 'after the big one'.length])
  expect(s.messages[1]!.data).toBe('after the big one')
  s.ws.close()
  await until(() => helper.connections.size === 0)
})
