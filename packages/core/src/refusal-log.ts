import type { WSRefusal } from './refusal.ts'

/**
 * Where the library's own lines go: `console` by default; any logger with `warn` and `error` (pino, winston,
 * consola, Hono's `logger` output function wrapped) fits. Refusals and setting warnings use `warn`.
 */
export interface WSLogger {
  warn(message: string): void
  error(message: string, error?: unknown): void
}

/** A logger that drops everything (`logger: false`). */
export const SILENT_LOGGER: WSLogger = { warn() {}, error() {} }

/** How often refusals are logged: the same refusal once per `repeatMs`, and at most `burst` lines per `burstMs`. */
export interface RefusalLogLimits {
  /** The same cause, path and client value are logged once per this many ms. Default 60,000. */
  repeatMs?: number
  /** At most this many refusal lines per `burstMs`. Default 100. */
  burst?: number
  /** Default 60,000 ms. */
  burstMs?: number
  /** The clock, in ms (tests pass their own). */
  now?: () => number
}

const MAX_KEYS = 1000

/**
 * Logs refusals so that a flood of bad clients cannot flood the log: a repeat of the same refusal (same cause,
 * path and client value) is logged once per minute, and at most 100 refusal lines are written per minute. What was
 * left out is counted and said on the next line written.
 */
export function createRefusalLog(logger: WSLogger, limits: RefusalLogLimits = {}): (r: WSRefusal) => void {
  const repeatMs = limits.repeatMs ?? 60_000
  const burst = limits.burst ?? 100
  const burstMs = limits.burstMs ?? 60_000
  const now = limits.now ?? Date.now
  const lastLogged = new Map<string, number>()
  let windowStart = Number.NEGATIVE_INFINITY
  let inWindow = 0
  let suppressed = 0
  let suppressedSince = 0

  return (r) => {
    const t = now()
    let path = r.url ?? ''
    try {
      path = new URL(path).pathname
    } catch {
      // not a URL: keep it as it is
    }
    const key = `${r.cause}\u0000${r.status}\u0000${path}\u0000${r.origin ?? ''}\u0000${r.cause === 'origin' ? '' : r.message}`
    const last = lastLogged.get(key)
    if (t - windowStart >= burstMs) {
      windowStart = t
      inWindow = 0
    }
    if ((last !== undefined && t - last < repeatMs) || inWindow >= burst) {
      if (suppressed === 0) suppressedSince = t
      suppressed++
      return
    }
    inWindow++
    if (lastLogged.size >= MAX_KEYS) {
      for (const [k, at] of lastLogged) if (t - at >= repeatMs) lastLogged.delete(k)
      if (lastLogged.size >= MAX_KEYS) lastLogged.clear()
    }
    lastLogged.set(key, t)
    let line = `[honokit/ws] refused a WebSocket upgrade to ${path || '?'} with ${r.status}: ${r.message}`
    if (suppressed > 0) {
      const seconds = Math.max(1, Math.round((t - suppressedSince) / 1000))
      line += ` (${suppressed} more refusal${suppressed === 1 ? '' : 's'} in the last ${seconds} s not logged: rate limit)`
      suppressed = 0
    }
    logger.warn(line)
  }
}
