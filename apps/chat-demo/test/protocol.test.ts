// The chat's protocol in-process, on @honokit/ws-testing: validation, refusals, history, throttling. The same app
// and core pipeline as on every runtime, without a server or a port (chat.e2e.test.ts covers the real sockets).
import { connect, createTestWebSocket, type TestClient, WebSocketRefusedError } from '@honokit/ws-testing'
import { expect, it } from 'vitest'
import { createChatApp } from '../src/app.ts'

const app = createChatApp(createTestWebSocket())

interface Peer {
  ws: TestClient
  next(type?: string): Promise<any>
  closed: Promise<{ code: number; reason: string }>
}

async function enter(name: string, room: string): Promise<Peer> {
  const ws = await connect(app, '/ws', { query: { name, room } }).catch((e: unknown) => {
    throw e instanceof WebSocketRefusedError ? new Error(`refused ${e.status}`) : e
  })
  // Messages of other types, kept for a later next(type).
  const inbox: any[] = []
  const next = async (type?: string): Promise<any> => {
    for (;;) {
      const i = inbox.findIndex((m) => !type || m.type === type)
      if (i >= 0) return inbox.splice(i, 1)[0]
      inbox.push(await ws.nextJson())
    }
  }
  const closed = ws.closed().then(({ code, reason }) => ({ code, reason }))
  return { ws, next, closed }
}

it('bad JSON and unknown types get an error for that client only, and the connection stays', async () => {
  const a = await enter('ann', 'proto-1')
  const b = await enter('bob', 'proto-1')
  await a.next('welcome')
  await b.next('welcome')
  a.ws.send('{not json')
  expect(await a.next('error')).toEqual({ type: 'error', error: 'bad JSON' })
  a.ws.send(JSON.stringify({ type: 'dance' }))
  expect(await a.next('error')).toEqual({ type: 'error', error: 'unknown type: dance' })
  a.ws.send(JSON.stringify({ type: 'message', text: 'still here' }))
  expect(await b.next('message')).toMatchObject({ from: 'ann', text: 'still here' })
  expect(a.ws.readyState).toBe(1) // OPEN
  await a.ws.close()
  await b.ws.close()
})

it('a name or room out of bounds is refused before the upgrade, a message too long gets an error', async () => {
  await expect(enter('x'.repeat(25), 'proto-2')).rejects.toThrow('refused 400')
  await expect(enter('ann', 'Not A Room!')).rejects.toThrow('refused 400')
  const a = await enter('ann', 'proto-2')
  a.ws.send(JSON.stringify({ type: 'message', text: 'y'.repeat(501) }))
  expect(await a.next('error')).toEqual({ type: 'error', error: 'a message has at most 500 characters' })
  await a.ws.close()
})

it('joining replays the last 50 messages of the room, with the members', async () => {
  const senders: Peer[] = []
  const a = await enter('ann', 'proto-3')
  await a.next('welcome')
  // 55 messages from several senders: each stays under the flood limit of 10 messages per 5 s.
  for (let i = 0; i < 55; i++) {
    const sender = i % 9 === 0 ? await enter(`s${i}`, 'proto-3') : undefined
    if (sender) {
      await sender.next('welcome')
      senders.push(sender)
    }
    senders.at(-1)!.ws.send(JSON.stringify({ type: 'message', text: `m${i}` }))
    expect((await a.next('message')).text).toBe(`m${i}`)
  }
  for (const s of senders) void s.ws.close()
  await Promise.all(senders.map((s) => s.closed))
  const b = await enter('bob', 'proto-3')
  const welcome = await b.next('welcome')
  expect(welcome.history.map((m: { text: string }) => m.text)).toEqual(
    Array.from({ length: 50 }, (_, i) => `m${i + 5}`)
  )
  expect(welcome.members).toEqual(['ann', 'bob'])
  await a.ws.close()
  await b.ws.close()
})

it('a client flooding messages is throttled, then closed with 1008', async () => {
  const a = await enter('flood', 'proto-4')
  await a.next('welcome')
  for (let i = 0; i < 30; i++) a.ws.send(JSON.stringify({ type: 'message', text: `spam ${i}` }))
  expect(await a.next('error')).toEqual({ type: 'error', error: 'slow down: at most 10 messages per 5 s' })
  expect(await a.closed).toEqual({ code: 1008, reason: 'flooding' })
})

it('a plain GET of the WebSocket URL answers whether the join would be accepted, in words', async () => {
  const check = async (name: string, room: string) => {
    const res = await app.request(`/ws?${new URLSearchParams({ name, room })}`)
    return { status: res.status, body: await res.json() }
  }
  expect(await check('', 'proto-5')).toEqual({
    status: 400,
    body: { ok: false, error: 'Cannot join: a name of 1 to 24 characters is needed.' },
  })
  expect(await check('ann', 'Bad Room!')).toEqual({
    status: 400,
    body: { ok: false, error: 'Cannot join: a room of 1 to 32 characters (a-z, 0-9, -) is needed.' },
  })
  expect(await check('ann', 'proto-5')).toEqual({ status: 200, body: { ok: true } })
  const a = await enter('ann', 'proto-5')
  await a.next('welcome')
  expect(await check(' ann ', 'proto-5')).toEqual({
    status: 409,
    body: { ok: false, error: 'Cannot join: the name ann is taken in proto-5, pick another.' },
  })
  expect(await check('ann', 'proto-6')).toEqual({ status: 200, body: { ok: true } })
  a.ws.close()
  await a.closed
})
