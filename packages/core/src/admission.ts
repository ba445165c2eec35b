import type { Context } from 'hono'
import { forwardedOrigin, type ServerOrigin, serverOrigin } from './forwarded.ts'
import type { WSHub } from './hub-types.ts'
import type { ResolvedLimits, WSLimits } from './options.ts'
import { listAdmits, normalizeOrigin, originRule } from './origin.ts'
import { refusal, type WSRefusal } from './refusal.ts'

/** Seconds a client refused for capacity is told to wait (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])
const hostname = (host: string) => host.replace(/:\d+$/, '')

/**
 * Same origin as this server: the same host and port, and the same scheme, except that an `https` page may reach a
 * server that sees plain `http` (TLS ends at a proxy in front of it). An `http` page never reaches an `https` server.
 */
export function isSameOrigin(origin: string, own: ServerOrigin): boolean {
  const sep = origin.indexOf('://')
  const scheme = origin.slice(0, sep)
  const host = origin.slice(sep + 3)
  let ownScheme = own.scheme
  let ownHost = own.host
  // A proxy that forwards `Host: name:443` to a plain-http server: that is https on its default port.
  if (ownScheme === 'http' && ownHost.endsWith(':443')) {
    ownScheme = 'https'
    ownHost = ownHost.slice(0, -4)
  }
  if (host !== ownHost) return false
  return scheme === ownScheme || (scheme === 'https' && ownScheme === 'http')
}

function originHint(
  c: Context,
  origin: string,
  normalized: string | undefined,
  own: ServerOrigin | undefined
) {
  if (normalized === undefined)
    return origin.trim() === 'null'
      ? 'Origin null comes from a sandboxed frame or a file: page; only an allowedOrigins function can admit it.'
      : 'that is not an origin (scheme://host[:port]).'
  const hints: string[] = []
  if (own) {
    const fwd = forwardedOrigin(c)
    if (own.from === 'request' && fwd)
      hints.push(
        `The request came through a proxy (${fwd.from}: ${fwd.host}): set trustProxy: true if your proxy sets ` +
          'that header (never otherwise), pass baseUrl (Node), or list the public origin.'
      )
    const seen = hostname(normalized.slice(normalized.indexOf('://') + 3))
    if (seen !== hostname(own.host) && LOOPBACK_NAMES.has(seen) && LOOPBACK_NAMES.has(hostname(own.host)))
      hints.push(
        `${seen} and ${hostname(own.host)} are different origins to a browser: open the page and the WebSocket ` +
          'with the same host name.'
      )
    if (normalized.startsWith('http://') && own.scheme === 'https' && normalized.slice(7) === own.host)
      hints.push('A page served over http may not reach this https server.')
  }
  hints.push(`To admit it: allowedOrigins: [${own ? "'same-origin', " : ''}'${normalized}'].`)
  return hints.join(' ')
}

/** Refuses a browser origin the policy does not allow (cross-site WebSocket hijacking) with 403. */
export function checkOrigin(c: Context, limits: ResolvedLimits): WSRefusal | undefined {
  const origin = c.req.header('origin')
  if (origin === undefined) {
    if (limits.allowMissingOrigin) return undefined
    return refusal(
      403,
      'origin',
      'WebSocket refused: this route needs an Origin header (allowMissingOrigin is false).',
      'no Origin header (browsers always send one; other clients may not), and allowMissingOrigin is false ' +
        'on this route. Set allowMissingOrigin: true to admit clients that are not browsers.'
    )
  }
  const rule = originRule(limits.allowedOrigins)
  if (rule.kind === 'any') return undefined
  let expected: string
  let own: ServerOrigin | undefined
  const normalized = normalizeOrigin(origin)
  if (rule.kind === 'function') {
    if (rule.allows(origin, c)) return undefined
    expected = 'the allowedOrigins function returned false for it.'
  } else {
    if (normalized !== undefined && listAdmits(rule, normalized)) return undefined
    const listed = [...rule.exact, ...rule.wildcards.map((w) => `${w.scheme}://*${w.suffix}`)]
    if (rule.sameOrigin) {
      own = serverOrigin(c, limits.trustProxy)
      if (normalized !== undefined && isSameOrigin(normalized, own)) return undefined
      const from = own.from === 'request' ? 'the request URL' : `the ${own.from} header (trustProxy)`
      expected = `expected this server's own origin ${own.scheme}://${own.host} (from ${from})`
      expected += listed.length > 0 ? ` or one of ${listed.join(', ')}.` : ' (allowedOrigins: same-origin).'
    } else expected = `expected one of ${listed.join(', ')} (allowedOrigins).`
  }
  return refusal(
    403,
    'origin',
    `WebSocket refused: origin ${origin} is not allowed here. The server's allowedOrigins setting decides ` +
      '(default: same origin only); its log says more.',
    `Origin ${origin} is not allowed: ${expected} ${originHint(c, origin, normalized, own)}`,
    { origin }
  )
}

/** Refuses an upgrade past a connection limit, or during shutdown, with 503 and `Retry-After`. */
export function checkCapacity(
  hub: WSHub | undefined,
  route: { open: number },
  limits: ResolvedLimits
): WSRefusal | undefined {
  let why: string | undefined
  let fix = ''
  let cause: 'capacity' | 'shutdown' = 'capacity'
  if (hub?.closing) {
    cause = 'shutdown'
    why = 'the server is shutting down'
    fix = 'shutdown() was called on this helper; new connections are refused until the process restarts.'
  } else if (hub && hub.connections.size >= hub.maxConnections) {
    why = `this server holds its maximum of ${hub.maxConnections} connections`
    fix = "raise maxConnections in the helper's options (default 10,000) if the machine can hold more."
  } else if (route.open >= limits.maxConnections) {
    why = `this route holds its maximum of ${limits.maxConnections} connections`
    fix = "raise maxConnections in this route's upgradeWebSocket options."
  }
  if (!why) return undefined
  return refusal(503, cause, `WebSocket refused: ${why}. Try again later.`, `${why}: ${fix}`, {
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  })
}

/** Throws when a setting is given that this runtime cannot honour, instead of ignoring it. */
export function refuseUnsupported(
  limits: WSLimits | undefined,
  unsupported: Partial<Record<keyof WSLimits, string>> | undefined
): void {
  if (!limits || !unsupported) return
  for (const [name, reason] of Object.entries(unsupported) as [keyof WSLimits, string][]) {
    const value = limits[name]
    if (value !== undefined && value !== false) throw new Error(`${name} is not available here: ${reason}`)
  }
}
