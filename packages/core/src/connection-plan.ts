import type { RouteCounter, WSTransport } from './connection-types.ts'
import { type HeartbeatSweep, heartbeatSweep } from './heartbeat.ts'
import type { WSHub } from './hub-types.ts'
import type { ResolvedLimits } from './options.ts'

/**
 * What every connection of one route shares: the adapter's transport, the helper's hub, the route's limits, its
 * counter and its heartbeat sweep. One object per route instead of five fields per connection.
 */
export interface ConnectionPlan<T> {
  readonly transport: WSTransport<T>
  readonly hub: WSHub | undefined
  readonly limits: ResolvedLimits | undefined
  readonly route: RouteCounter | undefined
  readonly heartbeat: HeartbeatSweep | undefined
}

// The last plan made for a route: a route's connections all get the same one (its limits are resolved once).
const byRoute = new WeakMap<RouteCounter, ConnectionPlan<any>>()

/** The plan for a connection with these parts: shared with the route's other connections when it has a route. */
export function connectionPlan<T>(
  transport: WSTransport<T>,
  hub: WSHub | undefined,
  limits: ResolvedLimits | undefined,
  route: RouteCounter | undefined
): ConnectionPlan<T> {
  const cached = route && byRoute.get(route)
  if (cached && cached.transport === transport && cached.hub === hub && cached.limits === limits)
    return cached
  const hb = limits?.heartbeat
  const plan: ConnectionPlan<T> = {
    transport,
    hub,
    limits,
    route,
    heartbeat: hb && transport.ping && transport.terminate ? heartbeatSweep(hb) : undefined,
  }
  if (route) byRoute.set(route, plan)
  return plan
}
