// The chat's protocol over real sockets, on the Node entry: validation, refusals, history, throttling.
import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'

let server: ServerProcess
beforeAll(async () => {
  server = await startServer([process.execPath, '--import', 'tsx', 'src/serve/node.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  })
}, 60_000)
afterAll(() => server?.stop())

interface Peer {
  ws: WebSocket
  next(type?: string): Promise<any>
  closed: Promise<{ code: number; reason: string }>
}

function enter(name: string, room: string): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?${new URLSearchParams({ name, room })}`)
    const inbox: any[] = []
    const waiters: (() => void)[] = []
    ws.on('message', (d) => {
      inbox.push(JSON.parse(String(d)))
      for (const w of waiters.splice(0)) w()
    })
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => r({ code, reason: String(reason) }))
    )
    const next = async (type?: string): Promise<any> => {
      for (;;) {
        const i = inbox.findIndex((m) => !type || m.type === type)
        if (i >= 0) return inbox.splice(i, 1)[0]
        await new Promise<void>((r) => waiters.push(r))
      }
    }
    ws.on('open', () => resolve({ ws, next, closed }))
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.on('error', reject)
  })
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
  expect(a.ws.readyState).toBe(WebSocket.OPEN)
  a.ws.close()
  b.ws.close()
})

it('a name or room out of bounds is refused before the upgrade, a message too long gets an error', async () => {
  await expect(enter('x'.repeat(25), 'proto-2')).rejects.toThrow('refused 400')
  await expect(enter('ann', 'Not A Room!')).rejects.toThrow('refused 400')
  const a = await enter('ann', 'proto-2')
  a.ws.send(JSON.stringify({ type: 'message', text: 'y'.repeat(501) }))
  expect(await a.next('error')).toEqual({ type: 'error', error: 'a message has at most 500 characters' })
  a.ws.close()
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
  for (const s of senders) s.ws.close()
  await Promise.all(senders.map((s) => s.closed))
  const b = await enter('bob', 'proto-3')
  const welcome = await b.next('welcome')
  expect(welcome.history.map((m: { text: string }) => m.text)).toEqual(
    Array.from({ length: 50 }, (_, i) => `m${i + 5}`)
  )
  expect(welcome.members).toEqual(['ann', 'bob'])
  a.ws.close()
  b.ws.close()
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
    const res = await fetch(`http://127.0.0.1:${server.port}/ws?${new URLSearchParams({ name, room })}`)
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
