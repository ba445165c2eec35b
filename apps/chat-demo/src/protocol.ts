/** A chat line as stored in the history and sent to clients. */
export interface ChatLine {
  type: 'message'
  from: string
  text: string
  at: number
}

/** Limits of the chat protocol. */
export const LIMITS = {
  name: 24,
  room: 32,
  text: 500,
  history: 50,
  /** At most this many messages per window; more are refused; repeated flooding closes with 1008. */
  burst: 10,
  windowMs: 5000,
  strikes: 5,
} as const

/** What a room name may be: lower-case letters, digits and dashes, not starting with a dash (the page checks it too). */
export const ROOM_PATTERN = /^[a-z0-9][a-z0-9-]*$/

/** Why a name or room is refused, or nothing when both are fine. */
export function checkJoin(name: string | undefined, room: string | undefined): string | undefined {
  const n = name?.trim() ?? ''
  if (n.length === 0 || n.length > LIMITS.name) return `a name of 1 to ${LIMITS.name} characters is needed`
  if (!room || room.length > LIMITS.room || !ROOM_PATTERN.test(room))
    return `a room of 1 to ${LIMITS.room} characters (a-z, 0-9, -) is needed`
  return undefined
}

/** The text of a valid client message, or the error to send back to that client only. */
export function parseClientMessage(data: string | ArrayBuffer): { text: string } | { error: string } {
  if (typeof data !== 'string') return { error: 'messages are JSON text' }
  let msg: unknown
  try {
    msg = JSON.parse(data)
  } catch {
    return { error: 'bad JSON' }
  }
  const m = msg as { type?: unknown; text?: unknown }
  if (typeof m !== 'object' || m === null || m.type !== 'message')
    return { error: `unknown type: ${String(m?.type)}` }
  if (typeof m.text !== 'string' || m.text.trim().length === 0) return { error: 'a message needs text' }
  if (m.text.length > LIMITS.text) return { error: `a message has at most ${LIMITS.text} characters` }
  return { text: m.text }
}
