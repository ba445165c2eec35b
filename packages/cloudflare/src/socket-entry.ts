import {
  connectSocket,
  type ResolvedLimits,
  type WSConnection,
  type WSEvents,
  type WSHub,
} from '@honokit/ws-core/adapter'
import { type SocketAttachment, saveAttachment } from './attachment.ts'
import { type CloudflareWebSocketLike, transport } from './cloudflare-like.ts'
import { persistingEvents } from './persisting-events.ts'

type Socket = CloudflareWebSocketLike

/** One socket a Durable Object's helper knows: its connection, its attachment and the attachment last saved. */
export interface SocketEntry {
  conn: WSConnection<Socket>
  attachment: SocketAttachment
  snapshot: string
  /** Set while the handlers of a restored socket are being rebuilt: what arrived meanwhile, in order. */
  waiting?: (() => void)[]
  setEvents(events: WSEvents<Socket>): void
}

/** Saves the entry's attachment with the current `ws.data` while the socket is open (skipped when unchanged). */
export const saveEntry = (ws: Socket, entry: SocketEntry) => {
  if (ws.readyState !== 1) return
  entry.snapshot = saveAttachment(ws, { ...entry.attachment, d: entry.conn.ws.data }, entry.snapshot)
}

/** Returns `connect`, which connects a socket to core from its attachment and records its entry in `entries`. */
export function entryConnector(hub: WSHub, entries: WeakMap<Socket, SocketEntry>) {
  return (
    ws: Socket,
    attachment: SocketAttachment,
    resumed: boolean,
    upgrade: { limits: ResolvedLimits; route: { open: number } }
  ): SocketEntry => {
    const holder: WSEvents<Socket> = {}
    const conn = connectSocket(
      holder,
      transport,
      ws,
      { url: attachment.u, protocol: attachment.p, hub, limits: upgrade.limits, route: upgrade.route },
      { data: attachment.d, resumed }
    )
    const entry: SocketEntry = {
      conn,
      attachment,
      snapshot: JSON.stringify(attachment),
      setEvents(events) {
        // ws.data is saved after onOpen and onMessage return (or their promises settle), so it survives a wake.
        Object.assign(
          holder,
          persistingEvents(events, () => saveEntry(ws, entry))
        )
      },
    }
    entries.set(ws, entry)
    return entry
  }
}

/** The `connect` an `entryConnector` returns. */
export type ConnectEntry = ReturnType<typeof entryConnector>
