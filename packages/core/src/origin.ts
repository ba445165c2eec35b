import type { Context } from 'hono'

/**
 * Who may open a connection from a browser (the `Origin` header, RFC 6454):
 * - `'same-origin'` (default): only pages of this server's own origin (see the core README, "Origins and proxies");
 * - `'*'`: any origin;
 * - one origin, such as `'https://app.example.com'`: exactly that origin;
 * - a list of origins, which may hold `'same-origin'` and subdomain wildcards such as `'https://*.example.com'`;
 * - a function `(origin, c) => boolean`, the only form that sees the `null` origin of sandboxed and `file:` pages.
 * Origins are compared as origins: scheme, host and port; host case-insensitive; default ports (80, 443) implied.
 */
export type WSOriginPolicy =
  | 'same-origin'
  | '*'
  | `${string}://${string}`
  | readonly string[]
  | ((origin: string, c: Context) => boolean)

/** An origin as `scheme://host[:port]`: lowercase, default port left out (the form browsers send). */
export type SerializedOrigin = string

/** A compiled policy: what `checkOrigin` runs for each upgrade. */
export type OriginRule =
  | { kind: 'any' }
  | { kind: 'function'; allows: (origin: string, c: Context) => boolean }
  | { kind: 'list'; sameOrigin: boolean; exact: ReadonlySet<string>; wildcards: readonly Wildcard[] }

interface Wildcard {
  scheme: string
  /** `.example.com:8443`: what a matching origin's host (with its port) ends with. */
  suffix: string
}

const ACCEPTED_FORMS =
  "Accepted forms: 'same-origin' (the default), '*', one origin such as 'https://app.example.com', " +
  "a list such as ['https://app.example.com', 'http://localhost:5173'] (it may hold 'same-origin' and " +
  "'https://*.example.com'), or a function (origin, c) => boolean."

/** Splits `scheme://host[:port]` the way browsers serialize it, or `undefined` when `value` is not such an origin. */
export function parseOrigin(value: string): { scheme: string; host: string } | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]/i.test(value)) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.username || url.password || url.search || url.hash) return undefined
  if (url.pathname !== '' && url.pathname !== '/') return undefined
  if (url.host === '') return undefined
  return { scheme: url.protocol.slice(0, -1), host: url.host }
}

/** The serialized form of the `Origin` header a client sent, or `undefined` when it is not an origin (e.g. `null`). */
export function normalizeOrigin(header: string): SerializedOrigin | undefined {
  const o = parseOrigin(header.trim())
  return o && `${o.scheme}://${o.host}`
}

function invalid(where: string, value: unknown, why: string): TypeError {
  return new TypeError(`${where}: ${JSON.stringify(value) ?? String(value)} ${why} ${ACCEPTED_FORMS}`)
}

function compileEntry(
  entry: unknown,
  where: string,
  exact: Set<string>,
  wildcards: Wildcard[]
): 'same-origin' | undefined {
  if (entry === 'same-origin') return 'same-origin'
  if (typeof entry !== 'string') throw invalid(where, entry, 'is not an origin string.')
  if (entry === '*') throw invalid(where, entry, "may not stand in a list: use allowedOrigins: '*' alone.")
  if (entry.trim() === 'null')
    throw invalid(
      where,
      entry,
      'is the origin of sandboxed frames and file: pages of any site, so allowing it allows everyone; ' +
        'if you must, decide it in a function.'
    )
  if (entry.includes(','))
    throw invalid(
      where,
      entry,
      'holds a comma: give each origin as its own list entry (split a comma-separated variable with .split(",")).'
    )
  const wildcard = /^([a-z][a-z0-9+.-]*:\/\/)\*\.(.+)$/i.exec(entry.trim())
  const parsed = parseOrigin(wildcard ? `${wildcard[1]}wildcard.${wildcard[2]}` : entry.trim())
  if (!parsed)
    throw invalid(where, entry, 'is not an origin (scheme://host[:port], no path, no query, no user name).')
  if (wildcard) wildcards.push({ scheme: parsed.scheme, suffix: parsed.host.slice('wildcard'.length) })
  else exact.add(`${parsed.scheme}://${parsed.host}`)
  return undefined
}

/**
 * Checks an `allowedOrigins` value and compiles it. Throws a `TypeError` naming `where`, the value and the accepted
 * forms for anything else: a string that is not one exact origin, a list entry that is not one, `'null'`, a comma.
 */
export function compileOriginPolicy(policy: unknown, where = 'allowedOrigins'): OriginRule {
  if (policy === '*') return { kind: 'any' }
  if (typeof policy === 'function')
    return { kind: 'function', allows: policy as (origin: string, c: Context) => boolean }
  const exact = new Set<string>()
  const wildcards: Wildcard[] = []
  let sameOrigin = false
  if (typeof policy === 'string') sameOrigin = compileEntry(policy, where, exact, wildcards) === 'same-origin'
  else if (Array.isArray(policy)) {
    policy.forEach((entry, i) => {
      if (compileEntry(entry, `${where}[${i}]`, exact, wildcards) === 'same-origin') sameOrigin = true
    })
  } else throw invalid(where, policy, 'is not a policy.')
  return { kind: 'list', sameOrigin, exact, wildcards }
}

const compiledObjects = new WeakMap<object, OriginRule>()
const compiledStrings = new Map<string, OriginRule>()

/** `compileOriginPolicy`, remembered per policy value (a route's policy is compiled once, not per upgrade). */
export function originRule(policy: WSOriginPolicy): OriginRule {
  if (typeof policy === 'string') {
    let rule = compiledStrings.get(policy)
    if (!rule) {
      rule = compileOriginPolicy(policy)
      if (compiledStrings.size < 1000) compiledStrings.set(policy, rule)
    }
    return rule
  }
  let rule = compiledObjects.get(policy)
  if (!rule) {
    rule = compileOriginPolicy(policy)
    compiledObjects.set(policy, rule)
  }
  return rule
}

/** True when a list rule admits the serialized `origin` by its exact entries or wildcards (not `'same-origin'`). */
export function listAdmits(rule: Extract<OriginRule, { kind: 'list' }>, origin: SerializedOrigin): boolean {
  if (rule.exact.has(origin)) return true
  for (const w of rule.wildcards) {
    const prefix = `${w.scheme}://`
    if (!origin.startsWith(prefix)) continue
    const host = origin.slice(prefix.length)
    // At least one label before the suffix: `*.example.com` admits `a.example.com`, not `example.com`.
    if (host.length > w.suffix.length && host.endsWith(w.suffix)) {
      const label = host.slice(0, -w.suffix.length)
      if (!label.includes(':')) return true
    }
  }
  return false
}
