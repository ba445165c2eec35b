import type { Context } from 'hono'
import { upgradeResponseHeaders } from './upgrade-headers.ts'

// Marks the app's response as "the route accepted the upgrade", so a middleware that replaced it (an error page, a
// redirect) wins over the upgrade. Stripped before anything reaches the client.
const ACCEPTED_HEADER = 'x-honokit-ws-accepted'

/**
 * What the adapter's handler returns when the runtime writes the 101 itself after the app answered (Node's `upgrade`
 * event, uWebSockets.js' `upgrade` handler): an empty response marked as accepted that carries the headers
 * middleware set with `c.header()`. Middleware after the route may still replace it; check the app's final response
 * with `takeAccepted` before upgrading. (Bun upgrades inside the handler and needs none of this.)
 */
export function acceptedResponse(c: Context): Response {
  return c.newResponse(null, { headers: { [ACCEPTED_HEADER]: '1' } })
}

/** True when the app's final response is the route's `acceptedResponse`; removes the mark from `headers`. */
export function takeAccepted(headers: Headers): boolean {
  if (!headers.has(ACCEPTED_HEADER)) return false
  headers.delete(ACCEPTED_HEADER)
  return true
}

/** `name: value` lines of the end-to-end headers in `headers`, each `Set-Cookie` its own line (for a raw 101 or refusal). */
export function headerLines(headers: Headers): string[] {
  const filtered = upgradeResponseHeaders(headers)
  const lines: string[] = []
  filtered.forEach((value, name) => {
    if (name !== 'set-cookie') lines.push(`${name}: ${value}`)
  })
  for (const cookie of filtered.getSetCookie()) lines.push(`set-cookie: ${cookie}`)
  return lines
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/**
 * The bytes of the app's whole response as HTTP/1.1, for a runtime socket that did not upgrade (a refusal written
 * by an adapter that owns the TCP connection): status line, `connection: close`, `content-length`, the end-to-end
 * headers and the body. End the socket after writing them.
 */
export async function responseBytes(res: Response): Promise<Uint8Array> {
  const body = res.body ? new Uint8Array(await res.arrayBuffer()) : new Uint8Array(0)
  const head = [
    `HTTP/1.1 ${res.status} ${res.statusText || REASONS[res.status] || ''}`,
    'connection: close',
    `content-length: ${body.byteLength}`,
    ...headerLines(res.headers),
  ]
  const headBytes = new TextEncoder().encode(`${head.join('\r\n')}\r\n\r\n`)
  const out = new Uint8Array(headBytes.byteLength + body.byteLength)
  out.set(headBytes)
  out.set(body, headBytes.byteLength)
  return out
}
