// The chat on Cloudflare: the Worker serves the page and hands each room to its own Durable Object, which keeps
// the room's sockets with the hibernation API and its history in storage.

import { DurableObject } from 'cloudflare:workers'
import { createDurableWebSocket } from '@honokit/ws-cloudflare'
import { Hono } from 'hono'
import { createChatApp } from '../app.ts'
import type { ChatLine } from '../protocol.ts'

interface Env {
  ROOMS: {
    idFromName(name: string): unknown
    get(id: unknown): { fetch(request: Request): Promise<Response> }
  }
}

interface Storage {
  get<T>(key: string): Promise<T | undefined>
  put(key: string, value: unknown): Promise<void>
}

export class ChatRoom extends DurableObject<Env> {
  sockets = createDurableWebSocket(this.ctx, { env: this.env })
  app = createChatApp(this.sockets, {
    history: {
      recent: async () => (await this.storage().get<ChatLine[]>('history')) ?? [],
      add: async (_room, line) => {
        const lines = [...((await this.storage().get<ChatLine[]>('history')) ?? []), line].slice(-50)
        await this.storage().put('history', lines)
      },
    },
  })
  storage(): Storage {
    return (this.ctx as unknown as { storage: Storage }).storage
  }
  fetch(request: Request) {
    return this.app.fetch(request, this.env)
  }
  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    this.sockets.webSocketMessage(ws, message)
  }
  webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean) {
    this.sockets.webSocketClose(ws, code, reason, wasClean)
  }
  webSocketError(ws: WebSocket, error: unknown) {
    this.sockets.webSocketError(ws, error)
  }
}

const worker = new Hono<{ Bindings: Env }>()
worker.get('/ws', (c) => {
  const room = c.req.query('room') ?? 'lobby'
  return c.env.ROOMS.get(c.env.ROOMS.idFromName(room)).fetch(c.req.raw)
})
// The page and health come from the same app as everywhere (a room-less instance only serves them).
worker.all('*', (c) => c.env.ROOMS.get(c.env.ROOMS.idFromName('lobby')).fetch(c.req.raw))

export default worker
