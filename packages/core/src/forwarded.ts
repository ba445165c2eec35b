import type { Context } from 'hono'
import { parseOrigin } from './origin.ts'

/** Where this server's own origin was read from: the request URL, or headers a trusted proxy set. */
export interface ServerOrigin {
  scheme: string
  host: string
  /** `'request'`: the request URL (its `Host`, or Node's `baseUrl`); otherwise the header it came from. */
  from: 'request' | 'Forwarded' | 'X-Forwarded-Host'
}

/** The first element's parameters of an RFC 7239 `Forwarded` header (`for=…;host=…;proto=…`), lower-case keys. */
function firstForwarded(value: string): Record<string, string> {
  const out: Record<string, string> = {}
  const first = value.split(',')[0] ?? ''
  for (const pair of first.split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0) continue
    const key = pair.slice(0, eq).trim().toLowerCase()
    let v = pair.slice(eq + 1).trim()
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1')
    out[key] = v
  }
  return out
}

const firstValue = (v: string | undefined) => v?.split(',')[0]?.trim() || undefined

/**
 * The headers a reverse proxy sets to say where the browser connected (`Forwarded` host/proto, else
 * `X-Forwarded-Host` and `X-Forwarded-Proto`), or `undefined` when none is there. The first (client-side) value wins.
 */
export function forwardedOrigin(
  c: Context
): (Omit<ServerOrigin, 'scheme'> & { scheme?: string }) | undefined {
  const forwarded = c.req.header('forwarded')
  if (forwarded) {
    const f = firstForwarded(forwarded)
    if (f.host) return { host: f.host, scheme: f.proto, from: 'Forwarded' }
  }
  const host = firstValue(c.req.header('x-forwarded-host'))
  if (host) return { host, scheme: firstValue(c.req.header('x-forwarded-proto')), from: 'X-Forwarded-Host' }
  return undefined
}

/**
 * This server's origin as the browser sees it: from the request URL (built from `Host`, or from `baseUrl` on Node);
 * with `trustProxy`, from `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto` when a proxy set them.
 */
export function serverOrigin(c: Context, trustProxy: boolean): ServerOrigin {
  const url = new URL(c.req.url)
  const own: ServerOrigin = { scheme: url.protocol.slice(0, -1), host: url.host, from: 'request' }
  if (!trustProxy) return own
  const fwd = forwardedOrigin(c)
  if (!fwd) return own
  const scheme = (fwd.scheme ?? own.scheme).toLowerCase()
  // Normalise like an origin (lower case, default port dropped); a value that does not parse is not trusted.
  const parsed = parseOrigin(`${scheme}://${fwd.host}`)
  return parsed ? { scheme: parsed.scheme, host: parsed.host, from: fwd.from } : own
}
