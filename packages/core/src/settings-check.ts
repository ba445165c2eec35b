import type { WSLogger } from './refusal-log.ts'

/** The settings every helper and route understands (the keys of `WSLimits`). */
export const LIMIT_NAMES = [
  'maxPayload',
  'maxConnections',
  'allowedOrigins',
  'allowMissingOrigin',
  'trustProxy',
  'heartbeat',
  'maxBufferedAmount',
  'drainThreshold',
] as const

/** What a helper's options may hold beside the limits. */
export const HELPER_ONLY_NAMES = ['broker', 'logger', 'onRefusal', 'perMessageDeflate'] as const

/** What a route's options may hold beside the limits. */
export const ROUTE_ONLY_NAMES = ['protocols'] as const

// Names other libraries use for a setting of ours, with what to write instead.
const ALIASES: Record<string, string> = {
  maxpayloadlength: 'maxPayload (bytes)',
  maxmessagesize: 'maxPayload (bytes)',
  idletimeout: 'heartbeat: { interval, timeout } (milliseconds)',
  pinginterval: 'heartbeat: { interval } (milliseconds)',
  origins: 'allowedOrigins',
  origin: 'allowedOrigins',
  maxconnections: 'maxConnections',
  backpressurelimit: 'maxBufferedAmount (bytes)',
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]!
}

/** The valid name closest to `name` (case-insensitive edit distance; a name contained in the other wins). */
export function nearestName(name: string, valid: readonly string[]): string {
  const lower = name.toLowerCase()
  const alias = ALIASES[lower]
  if (alias && valid.includes(alias.split(/[ :]/)[0]!)) return alias
  let best = valid[0] ?? ''
  let bestScore = Number.POSITIVE_INFINITY
  for (const v of valid) {
    const lv = v.toLowerCase()
    const score = lower.includes(lv) || lv.includes(lower) ? 0.5 : distance(lower, lv)
    if (score < bestScore) {
      best = v
      bestScore = score
    }
  }
  return best
}

/**
 * Refuses option names that no one reads (a typo, or another library's name), instead of ignoring them:
 * throws a `TypeError` naming the nearest valid name and listing them all. `where` names the call in the message.
 */
export function checkOptionNames(options: object | undefined, valid: readonly string[], where: string): void {
  if (!options || typeof options !== 'object') return
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || valid.includes(name)) continue
    throw new TypeError(
      `${where}: unknown option '${name}'. Did you mean ${nearestName(name, valid)}? ` +
        `Valid options: ${valid.join(', ')}.`
    )
  }
}

const warned = new Set<string>()

/** Logs `message` through `logger` once per process (a setting checked on every request warns once). */
export function warnOnce(logger: WSLogger, message: string): void {
  if (warned.has(message)) return
  if (warned.size < 1000) warned.add(message)
  logger.warn(`[honokit/ws] ${message}`)
}

/** Warns about values that are valid but almost certainly in the wrong unit (seconds given for milliseconds). */
export function warnUnits(options: object | undefined, logger: WSLogger, where: string): void {
  const hb = (options as { heartbeat?: { interval?: number; timeout?: number } | false } | undefined)
    ?.heartbeat
  if (!hb) return
  for (const field of ['interval', 'timeout'] as const) {
    const v = hb[field]
    if (typeof v === 'number' && v < 1000)
      warnOnce(
        logger,
        `${where}: heartbeat.${field} is ${v} ms. Heartbeat settings are in milliseconds (30 seconds is 30_000); ` +
          `this value pings or drops peers every ${v} ms.`
      )
  }
}
