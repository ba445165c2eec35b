import type { Context } from 'hono'
import type { DurableWebSocket } from './durable-object.ts'

const rooms = new WeakMap<object, DurableWebSocket>()

/** Records that handlers built from `c` run inside the object whose sockets are `sockets`. */
export function enterRoom(c: Context, sockets: DurableWebSocket): void {
  rooms.set(c, sockets)
}

/**
 * The Durable Object a forwarded WebSocket route runs in, seen from its `createEvents(c)`: its `connections`,
 * `tagged()`, `publish()` and `shutdown()` reach every socket of this room (this object), also after it was evicted
 * and woken, unlike a module-level `Set`.
 * @example
 * app.get('/chat/:room', upgradeWebSocket((c) => {
 *   const room = roomOf(c)
 *   return { onMessage: (e) => { for (const peer of room.connections) peer.send(String(e.data)) } }
 * }, { room: (c) => c.req.param('room') }))
 */
export function roomOf(c: Context): DurableWebSocket {
  const sockets = rooms.get(c)
  if (!sockets) {
    throw new Error(
      'roomOf(c) only works inside the createEvents of a route made with upgradeWebSocket from ' +
        "'@honokit/ws-cloudflare/durable' (there the handlers run in the route's Durable Object). Call it in " +
        'createEvents, not in a plain HTTP route or in other middleware.'
    )
  }
  return sockets
}
