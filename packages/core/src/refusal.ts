/** Why an upgrade was refused before the WebSocket opened. */
export type WSRefusalCause = 'handshake' | 'origin' | 'capacity' | 'shutdown' | 'subprotocol'

/**
 * An upgrade refused before the WebSocket opened: what the client gets (status, headers, body) and what the server
 * logs (`message`: what was seen, what was expected, the setting that would change it). Handed to `onRefusal`.
 */
export interface WSRefusal {
  /** The HTTP status the client gets: 400, 403, 426 or 503. */
  status: number
  cause: WSRefusalCause
  /** The response body: short, for the client (browsers never show it to the page). */
  body: string
  headers?: Record<string, string>
  /** One line for the server's log: what was seen, what was expected, the setting that would change it. */
  message: string
  /** The request URL (set by core before the refusal is reported). */
  url?: string
  /** The `Origin` header as the client sent it, when there was one. */
  origin?: string
}

/** Builds a refusal. */
export const refusal = (
  status: number,
  cause: WSRefusalCause,
  body: string,
  message: string,
  extra: Partial<WSRefusal> = {}
): WSRefusal => ({ status, cause, body, message, ...extra })

/** The HTTP response of a refusal. */
export function refusalResponse(r: WSRefusal): Response {
  return new Response(r.body, {
    status: r.status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...r.headers },
  })
}
