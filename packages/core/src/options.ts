import { compileOriginPolicy, type WSOriginPolicy } from './origin.ts'

export type { WSOriginPolicy } from './origin.ts'

/** Server pings: one every `interval` ms; a peer that has not answered (nor sent anything) within `timeout` is dropped. */
export interface WSHeartbeat {
  /** Milliseconds between pings (30 s is `30_000`). Below 1,000 a warning is logged. */
  interval: number
  /** Milliseconds a peer has to answer (or send anything) before it is dropped; default `interval`. */
  timeout?: number
}

/** The production settings, with one meaning on every runtime (see the core README's table). */
export interface WSLimits {
  /** Largest incoming message in bytes; a larger one closes that connection with 1009. Default 1 MiB. */
  maxPayload?: number
  /**
   * Most open connections: of the helper when given to the helper (default 10,000), of one route when given to
   * `upgradeWebSocket` (default: no per-route limit). Over it, the upgrade is refused with 503 and `Retry-After`.
   */
  maxConnections?: number
  /**
   * Browser origins allowed to connect (cross-site WebSocket hijacking); default `'same-origin'`. Else 403.
   * Checked when the helper or route is created: a string must be `'same-origin'`, `'*'` or one exact origin;
   * anything else throws a `TypeError` that lists the accepted forms.
   */
  allowedOrigins?: WSOriginPolicy
  /** Whether a request without `Origin` (not a browser) may connect. Default `true`. */
  allowMissingOrigin?: boolean
  /**
   * Trust `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto` as this server's public origin for the same-origin
   * check. Default `false`: only set it when a reverse proxy in front of this server always sets those headers.
   */
  trustProxy?: boolean
  /** Server pings and the dead-peer timeout, in milliseconds; default every 30 s, 30 s to answer; `false` turns them off. */
  heartbeat?: WSHeartbeat | false
  /** Bytes that may wait in the send buffer before a slow consumer is closed with 1013. Default 8 MiB. */
  maxBufferedAmount?: number
  /** `ws.drained()` resolves once the send buffer is at or below this many bytes. Default 64 KiB. */
  drainThreshold?: number
}

/** The limits in force, every field set. */
export type ResolvedLimits = Required<Omit<WSLimits, 'heartbeat'>> & {
  heartbeat: Required<WSHeartbeat> | false
}

/** The defaults: safe for production, documented in the core README. */
export const DEFAULT_LIMITS: ResolvedLimits = {
  maxPayload: 1024 * 1024,
  maxConnections: Number.POSITIVE_INFINITY,
  allowedOrigins: 'same-origin',
  allowMissingOrigin: true,
  trustProxy: false,
  heartbeat: { interval: 30_000, timeout: 30_000 },
  maxBufferedAmount: 8 * 1024 * 1024,
  drainThreshold: 64 * 1024,
}

/** Default total of open connections of one helper. */
export const DEFAULT_HELPER_MAX_CONNECTIONS = 10_000

const positive = (name: string, value: number | undefined) => {
  if (value === undefined) return
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new RangeError(
      `${name} must be a positive number of ${name === 'maxConnections' ? 'connections' : 'bytes'}, got ${String(value)}.`
    )
  }
}

/** Checks a set of limits and throws an error that names the setting and the fix. */
export function validateLimits(limits: WSLimits | undefined): void {
  if (!limits) return
  positive('maxPayload', limits.maxPayload)
  positive('maxConnections', limits.maxConnections)
  positive('maxBufferedAmount', limits.maxBufferedAmount)
  positive('drainThreshold', limits.drainThreshold)
  if (limits.allowedOrigins !== undefined) compileOriginPolicy(limits.allowedOrigins)
  for (const name of ['allowMissingOrigin', 'trustProxy'] as const) {
    const v = limits[name]
    if (v !== undefined && typeof v !== 'boolean')
      throw new TypeError(`${name} must be true or false, got ${JSON.stringify(v)}.`)
  }
  const hb = limits.heartbeat
  if (hb !== undefined && hb !== false) {
    if (
      hb === null ||
      typeof hb !== 'object' ||
      !(hb.interval > 0) ||
      (hb.timeout !== undefined && !(hb.timeout > 0))
    ) {
      throw new RangeError(
        `heartbeat must be false or { interval, timeout? } in milliseconds, both positive; got ${JSON.stringify(hb)}.`
      )
    }
  }
}

/** Merges route limits over helper limits over the runtime's defaults over the common defaults. */
export function resolveLimits(
  helper: WSLimits | undefined,
  route: WSLimits | undefined,
  runtime?: WSLimits
): ResolvedLimits {
  const merged = {
    ...DEFAULT_LIMITS,
    ...stripUndefined(runtime),
    ...stripUndefined(helper),
    ...stripUndefined(route),
  }
  const hb = merged.heartbeat
  return {
    ...merged,
    maxConnections: route?.maxConnections ?? Number.POSITIVE_INFINITY,
    heartbeat: hb === false ? false : { interval: hb.interval, timeout: hb.timeout ?? hb.interval },
  } as ResolvedLimits
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {}
  if (o) for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v
  return out
}
