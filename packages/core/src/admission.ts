import type { Context } from 'hono'
import type { WSHub } from './hub.ts'
import type { ResolvedLimits, WSLimits } from './options.ts'

/** Seconds a client refused for capacity is told to wait (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5

/** Refuses a browser origin the policy does not allow (cross-site WebSocket hijacking) with 403. */
export function checkOrigin(c: Context, limits: ResolvedLimits): Response | undefined {
  const origin = c.req.header('origin')
  if (origin === undefined) {
    if (limits.allowMissingOrigin) return undefined
    return new Response('A WebSocket here needs an Origin header (allowMissingOrigin is false).', {
      status: 403,
    })
  }
  const policy = limits.allowedOrigins
  let allowed: boolean
  if (policy === '*') allowed = true
  else if (policy === 'same-origin') {
    let host: string | undefined
    try {
      host = new URL(origin).host
    } catch {
      host = undefined
    }
    allowed = host !== undefined && host === (c.req.header('host') ?? new URL(c.req.url).host)
  } else if (typeof policy === 'function') allowed = policy(origin, c)
  else allowed = policy.includes(origin)
  if (allowed) return undefined
  return new Response(
    `Origin ${origin} may not open a WebSocket here: add it to allowedOrigins (default: same origin only).`,
    { status: 403 }
  )
}

/** Refuses an upgrade past a connection limit, or during shutdown, with 503 and `Retry-After`. */
export function checkCapacity(
  hub: WSHub | undefined,
  route: { open: number },
  limits: ResolvedLimits
): Response | undefined {
  let why: string | undefined
  if (hub?.closing) why = 'the server is shutting down'
  else if (hub && hub.connections.size >= hub.maxConnections)
    why = `this server holds its maximum of ${hub.maxConnections} connections`
  else if (route.open >= limits.maxConnections)
    why = `this route holds its maximum of ${limits.maxConnections} connections`
  if (!why) return undefined
  return new Response(`WebSocket refused: ${why}. Try again later.`, {
    status: 503,
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
