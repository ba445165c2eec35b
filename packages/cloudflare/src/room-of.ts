import type { Context } from 'hono'
import type { DurableWebSocket } from './durable-object.ts'

/** The parts of a Durable Object's storage (`ctx.storage`) typed here; the rest of its API is reachable untyped. */
export interface DurableObjectStorageLike {
  get<T = unknown>(key: string): Promise<T | undefined>
  put(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<boolean>
  readonly [key: string]: any
}

/** A room (Durable Object) seen from inside: its sockets, and its storage, which outlives eviction. */
export interface ObjectRoom extends DurableWebSocket {
  /** This object's `ctx.storage`: what a room keeps here survives eviction and restarts, unlike its memory. */
  readonly storage: DurableObjectStorageLike
}

const rooms = new WeakMap<object, ObjectRoom>()

/** Records that handlers built from `c` run inside the object `room`. */
export function enterRoom(c: Context, room: ObjectRoom): void {
  rooms.set(c, room)
}

/** The room view of an object: its sockets plus its `ctx.storage`, built once per object instance. */
export function objectRoom(sockets: DurableWebSocket, ctx: { readonly storage?: unknown }): ObjectRoom {
  return Object.freeze({
    ...sockets,
    get storage(): DurableObjectStorageLike {
      if (!ctx.storage) {
        throw new Error(
          'roomOf(c).storage: this Durable Object has no ctx.storage (is the object created by workerd from a ' +
            'durable_objects binding?).'
        )
      }
      return ctx.storage as DurableObjectStorageLike
    },
  })
}

/**
 * The Durable Object a forwarded WebSocket route runs in, seen from its `createEvents(c)`: its `connections`,
 * `tagged()`, `publish()` and `shutdown()` reach every socket of this room (this object), also after it was evicted
 * and woken, unlike a module-level `Set`; its `storage` (the object's `ctx.storage`) keeps data that must survive
 * eviction, such as a room's history.
 * @example
 * app.get('/chat/:room', upgradeWebSocket((c) => {
 *   const room = roomOf(c)
 *   return { onMessage: (e) => { for (const peer of room.connections) peer.send(String(e.data)) } }
 * }, { room: (c) => c.req.param('room') }))
 */
export function roomOf(c: Context): ObjectRoom {
  const room = rooms.get(c)
  if (!room) {
    throw new Error(
      'roomOf(c) only works inside the createEvents of a route made with upgradeWebSocket from ' +
        "'@honokit/ws-cloudflare/durable' (there the handlers run in the route's Durable Object). Call it in " +
        'createEvents, not in a plain HTTP route or in other middleware.'
    )
  }
  return room
}
