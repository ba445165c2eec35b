import { type ChatLine, LIMITS } from './protocol.ts'

/** Where the last messages of each room are kept. */
export interface HistoryStore {
  recent(room: string): ChatLine[] | Promise<ChatLine[]>
  add(room: string, line: ChatLine): void | Promise<void>
}

/** The last 50 lines of each room, in this process's memory. */
export function memoryHistory(): HistoryStore {
  const rooms = new Map<string, ChatLine[]>()
  return {
    recent: (room) => rooms.get(room) ?? [],
    add(room, line) {
      const lines = [...(rooms.get(room) ?? []), line].slice(-LIMITS.history)
      rooms.set(room, lines)
    },
  }
}
