import type { IncomingMessage } from 'node:http'

/** Builds the fetch `Request` for an upgrade request that arrived on Node's `upgrade` event (GET, no body). */
export function toRequest(incoming: IncomingMessage, baseUrl?: string | URL): Request {
  const headers = new Headers()
  const raw = incoming.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!)
  const target = incoming.url ?? '/'
  let url: string
  if (/^https?:\/\//i.test(target)) url = target
  else if (baseUrl) url = new URL(target, baseUrl).href
  else {
    const scheme = (incoming.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
    url = `${scheme}://${incoming.headers.host ?? 'localhost'}${target.startsWith('/') ? '' : '/'}${target}`
  }
  return new Request(url, { method: incoming.method ?? 'GET', headers })
}
