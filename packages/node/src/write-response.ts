import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { upgradeResponseHeaders } from '@honokit/ws-core/adapter'

/** `Name: value` lines for `headers` (filtered by core), each `Set-Cookie` on its own line. */
export function headerLines(headers: Headers): string[] {
  const filtered = upgradeResponseHeaders(headers)
  const lines: string[] = []
  filtered.forEach((value, name) => {
    if (name !== 'set-cookie') lines.push(`${name}: ${value}`)
  })
  for (const cookie of filtered.getSetCookie()) lines.push(`set-cookie: ${cookie}`)
  return lines
}

/**
 * Writes the app's whole response (status, headers, body) to a socket that did not upgrade, then closes it.
 * Ends with `end()` and destroys on `finish`, so a large body is not cut off (RUNTIME-NOTES N16).
 */
export async function writeResponse(socket: Duplex, res: Response): Promise<void> {
  const body = res.body ? Buffer.from(await res.arrayBuffer()) : Buffer.alloc(0)
  if (socket.destroyed || !socket.writable) return
  const head = [
    `HTTP/1.1 ${res.status} ${res.statusText || STATUS_CODES[res.status] || ''}`,
    'connection: close',
    `content-length: ${body.byteLength}`,
    ...headerLines(res.headers),
  ]
  socket.once('finish', () => socket.destroy())
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]))
}
