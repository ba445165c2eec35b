// The chat on Cloudflare: the same app in the Worker, whose WebSocket route runs in one Durable Object per room
// (`@honokit/ws-cloudflare/durable`, binding ROOMS in wrangler.jsonc); each object keeps its room's sockets with the
// hibernation API and its history in storage. `npx wrangler dev` / `deploy` from apps/chat-demo, or `start:cloudflare`.
import { createWebSocketObjects } from '@honokit/ws-cloudflare/durable'
import { createChatApp } from '../app.ts'
import { durableRooms } from '../durable-rooms.ts'

const { upgradeWebSocket, WebSocketObject, room } = createWebSocketObjects({
  binding: 'ROOMS',
  room: (c) => c.req.query('room'), // one object per chat room
})

export default createChatApp({ upgradeWebSocket }, { rooms: durableRooms(room) })
export class ChatRoom extends WebSocketObject {}
