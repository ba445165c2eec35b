// The chat's Cloudflare entry (src/serve/cloudflare.ts, through `start:cloudflare`: workerd via miniflare) over real
// sockets: one Durable Object per room, the history in the room's storage, the member list and the join check from
// the room's own connections, before and after the object is evicted and woken.
import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'

const app = fileURLToPath(new URL('..', import.meta.url))
let server: ServerProcess

beforeAll(async () => {
  server = await startServer([process.execPath, '--import', 'tsx', 'src/serve/cloudflare-local.ts'], {
    cwd: app,
    env: { HOST: '127.0.0.1' },
    readyPath: '/health',
  })
}, 60_000)
afterAll(() => server?.stop())

interface Member {
  ws: WebSocket
  next(type: string): Promise<any>
  inbox: any[]
  closed: Promise<number>
}

function enter(name: string, room: string): Promise<Member> {
  return new Promise((resolve, reject) => {
    const query = new URLSearchParams({ name, room })
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?${query}`)
    const inbox: any[] = []
    const waiters: (() => void)[] = []
    ws.on('message', (data) => {
      inbox.push(JSON.parse(data.toString()))
      for (const w of waiters.splice(0)) w()
    })
    const next = async (type: string) => {
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type)
        if (i >= 0) return inbox.splice(i, 1)[0]
        await new Promise<void>((r) => waiters.push(r))
      }
    }
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)))
    ws.on('open', () => resolve({ ws, next, inbox, closed }))
    ws.on('error', reject)
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}

const check = async (name: string, room: string) =>
  (await fetch(`http://127.0.0.1:${server.port}/ws?${new URLSearchParams({ name, room })}`)).status

it('each room keeps its history in its Durable Object, and its members and history outlast an eviction', async () => {
  const ann = await enter('ann', 'cf-1')
  expect(await ann.next('welcome')).toMatchObject({ members: ['ann'], history: [] })
  expect(await ann.next('presence')).toMatchObject({ event: 'join', name: 'ann' })
  ann.ws.send(JSON.stringify({ type: 'message', text: 'before the eviction' }))
  expect(await ann.next('message')).toMatchObject({ from: 'ann', text: 'before the eviction' })

  // Another room is another object: none of cf-1's history or members.
  const bob = await enter('bob', 'cf-2')
  expect(await bob.next('welcome')).toMatchObject({ members: ['bob'], history: [] })
  expect([await check('ann', 'cf-1'), await check('ann', 'cf-2')]).toEqual([409, 200])
  bob.ws.close()
  await bob.closed

  // An object whose only sockets are hibernatable is evicted after 10-11 s without activity (RUNTIME-NOTES W14);
  // ann's socket stays open meanwhile.
  await new Promise((r) => setTimeout(r, 12_000))
  const cid = await enter('cid', 'cf-1')
  expect(await cid.next('welcome')).toMatchObject({
    members: ['ann', 'cid'],
    history: [{ type: 'message', from: 'ann', text: 'before the eviction' }],
  })
  expect(await ann.next('presence')).toMatchObject({ event: 'join', name: 'cid', members: ['ann', 'cid'] })
  ann.ws.send(JSON.stringify({ type: 'message', text: 'after' }))
  expect(await cid.next('message')).toMatchObject({ from: 'ann', text: 'after' })
  expect(await ann.next('message')).toMatchObject({ from: 'ann', text: 'after' })
  expect(await check('ann', 'cf-1')).toBe(409)

  cid.ws.close()
  expect(await ann.next('presence')).toMatchObject({ event: 'leave', name: 'cid', members: ['ann'] })
  ann.ws.close()
  await ann.closed
  expect(await check('ann', 'cf-1')).toBe(200)
}, 40_000)
