import type { WSEvents } from '@honokit/ws-core'
import type { Context, Hono } from 'hono'
import type { ConformanceHelper } from './app.ts'

type Recording = (id: string, extra?: Partial<WSEvents<any>>) => WSEvents<any>

/** The origin the `exact` route admits, given as a plain string (as read from an environment variable). */
export const EXACT_ORIGIN = 'https://app.example.com'

/** Routes of the origin policy: each form of `allowedOrigins`, and the proxy opt-in. */
export function addOriginRoutes(
  app: Hono,
  helper: ConformanceHelper,
  recording: Recording,
  idOf: (url: string) => string
): void {
  const { upgradeWebSocket } = helper
  // One exact origin as a string: compared as an origin, never as a substring.
  app.get(
    '/ws/origin/exact',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), { allowedOrigins: EXACT_ORIGIN })
  )
  // A list: this server's own origin, one listed origin and the subdomains of one domain.
  app.get(
    '/ws/origin/list',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), {
      allowedOrigins: ['same-origin', 'http://localhost:5173', 'https://*.example.org'],
    })
  )
  // A function, which sees the raw Origin (including `null`) and the context.
  app.get(
    '/ws/origin/function',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), {
      allowedOrigins: (origin: string, c: Context) => origin === c.req.query('allow'),
    })
  )
  // Behind a reverse proxy that rewrites Host: the forwarded headers are trusted on this route only.
  app.get(
    '/ws/origin/proxied',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), { trustProxy: true })
  )
}
