// The chat's rooms on Cloudflare, one Durable Object each (`@honokit/ws-cloudflare/durable`): inside an object the
// room's sockets are `roomOf(c)` and its history is in the object's storage, so both survive eviction; the Worker
// asks a room who is in it with `room(c, name).connections()`.
import { type Room, roomOf } from '@honokit/ws-cloudflare/durable'
import type { Context } from 'hono'
import type { ChatRooms } from './app.ts'
import type { HistoryStore } from './history.ts'
import { localPresence } from './presence.ts'
import { type ChatLine, LIMITS } from './protocol.ts'

interface StorageLike {
  get<T>(key: string): Promise<T | undefined>
  put(key: string, value: unknown): Promise<void>
}

/** The last lines of the object's one room, in its Durable Object storage. */
function storageHistory(storage: StorageLike): HistoryStore {
  return {
    recent: async () => (await storage.get<ChatLine[]>('history')) ?? [],
    async add(_room, line) {
      const lines = [...((await storage.get<ChatLine[]>('history')) ?? []), line].slice(-LIMITS.history)
      await storage.put('history', lines)
    },
  }
}

/** `rooms` for `createChatApp`, given the `room(c, name)` of the `createWebSocketObjects` instance whose routes run the chat. */
export function durableRooms(room: (c: Context, name: string) => Room): ChatRooms {
  return {
    open(c) {
      const here = roomOf(c)
      return {
        publish: (topic, data) => here.publish(topic, data),
        presence: localPresence(here.connections),
        history: storageHistory(here.storage),
      }
    },
    async members(c, name) {
      const open = await room(c, name).connections()
      return [...new Set(open.filter((m) => m.data.room === name).map((m) => String(m.data.name)))].sort()
    },
  }
}
