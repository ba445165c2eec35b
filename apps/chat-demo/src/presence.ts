import type { WSContext } from '@honokit/ws-core'

/** Who is in each room. The app tells it who joins and leaves; `members` answers with unique names, sorted. */
export interface PresenceStore {
  join(room: string, id: string, name: string): void | Promise<void>
  leave(room: string, id: string): void | Promise<void>
  members(room: string): string[] | Promise<string[]>
  /**
   * For stores shared by several instances: `gone` is called when members of a room vanished without leaving (their
   * instance died), so the app can tell the room.
   */
  watch?(gone: (room: string, names: string[], members: string[]) => void): void
}

/**
 * Presence read from this helper's live connections: right in one process and after a Durable Object wakes from
 * hibernation (a module-level `Set` would not be).
 */
export function localPresence(connections: Iterable<WSContext<any>>): PresenceStore {
  return {
    join() {},
    leave() {},
    members: (room) =>
      [
        ...new Set(
          [...connections]
            .filter((ws) => ws.readyState === 1 && ws.data.room === room)
            .map((ws) => String(ws.data.name))
        ),
      ].sort(),
  }
}
