import type { WSData } from '@honokit/ws-core'
import type { CloudflareWebSocketLike } from './cloudflare-like.ts'

/** What a hibernatable socket keeps in its attachment to be restored after the object wakes. */
export interface SocketAttachment {
  /** Format version. */
  v: 1
  /** Which `upgradeWebSocket(createEvents)` of the helper made it (definition order); -1 for the direct form. */
  h: number
  /** Request URL. */
  u: string
  /** Negotiated subprotocol. */
  p: string
  /** Route parameters of the upgrade request. */
  a: Record<string, string>
  /** `ws.data`. */
  d: WSData
  /** Topics subscribed with `ws.subscribe` (tags cannot change after `acceptWebSocket`, the attachment can). */
  t: string[]
}

/** The most workerd stores in one WebSocket attachment, in serialized bytes (measured: 16,384 ok, 16,385 refused). */
export const MAX_ATTACHMENT_BYTES = 16_384

/**
 * Saves `attachment` on `ws` when it changed since `last` (a JSON snapshot); returns the new snapshot. Data that
 * cannot be stored (too large, or not structured-clonable) throws an error that says what to do instead.
 */
export function saveAttachment(
  ws: CloudflareWebSocketLike,
  attachment: SocketAttachment,
  last?: string
): string {
  let snapshot: string
  try {
    snapshot = JSON.stringify(attachment)
  } catch (error) {
    throw new Error(
      `ws.data cannot be kept across hibernation: it must be JSON-like data (${String(error)}).`
    )
  }
  if (snapshot === last) return snapshot
  try {
    ws.serializeAttachment?.(attachment)
  } catch (error) {
    throw new Error(
      `ws.data no longer fits a Durable Object WebSocket attachment (at most ${MAX_ATTACHMENT_BYTES} bytes with the ` +
        'url, protocol and route parameters), so it would not survive hibernation. Keep large state in ' +
        `this.ctx.storage and only keys in ws.data. (${error instanceof Error ? error.message : String(error)})`
    )
  }
  return snapshot
}

/** Reads the attachment of a socket accepted by the helper, or undefined for any other socket. */
export function readAttachment(ws: CloudflareWebSocketLike): SocketAttachment | undefined {
  const value = ws.deserializeAttachment?.() as SocketAttachment | undefined
  return value && value.v === 1 ? value : undefined
}
