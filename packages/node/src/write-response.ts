import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

/** Header names that describe the connection or framing of a response; never copied onto a raw socket or a 101. */
export const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'sec-websocket-accept',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
])

/** `Name: value` lines for every end-to-end header of `headers`, each `Set-Cookie` on its own line. */
export function headerLines(headers: Headers, skip: ReadonlySet<string> = HOP_BY_HOP): string[] {
  const lines: string[] = []
  headers.forEach((value, name) => {
    if (name === 'set-cookie' || skip.has(name)) return
    lines.push(`${name}: ${value}`)
  })
  for (const cookie of headers.getSetCookie()) lines.push(`set-cookie: ${cookie}`)
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
