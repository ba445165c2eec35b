/**
 * Header names that describe one connection or one message framing: never copied from the app's response onto a
 * 101 or onto a refusal written to a raw socket (the runtime writes its own).
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
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

/**
 * The headers that middleware set on the app's response and that belong on the 101: every end-to-end header,
 * each `Set-Cookie` kept as its own value.
 */
export function upgradeResponseHeaders(source: Headers): Headers {
  const out = new Headers()
  source.forEach((value, name) => {
    if (name !== 'set-cookie' && !HOP_BY_HOP_HEADERS.has(name)) out.set(name, value)
  })
  for (const cookie of source.getSetCookie()) out.append('set-cookie', cookie)
  return out
}

/** Sets every header of `source` on `target` (a runtime's mutable 101 headers), each `Set-Cookie` appended. */
export function copyHeaders(source: Headers, target: Headers): void {
  source.forEach((value, name) => {
    if (name !== 'set-cookie') target.set(name, value)
  })
  for (const cookie of source.getSetCookie()) target.append('set-cookie', cookie)
}

/**
 * The headers of a 101 for an app whose pending response is `appHeaders`: what middleware set, plus the negotiated
 * subprotocol when there is one.
 */
export function handshakeHeaders(appHeaders: Headers, protocol: string): Headers {
  const headers = upgradeResponseHeaders(appHeaders)
  if (protocol) headers.set('Sec-WebSocket-Protocol', protocol)
  return headers
}

/**
 * `handshakeHeaders` in place, for headers core owns (those of a `Response` it made): removes the hop-by-hop and
 * handshake headers, sets the negotiated subprotocol when there is one, and returns the same object.
 */
export function keepHandshakeHeaders(headers: Headers, protocol: string): Headers {
  for (const name of HOP_BY_HOP_HEADERS) headers.delete(name)
  if (protocol) headers.set('Sec-WebSocket-Protocol', protocol)
  return headers
}
