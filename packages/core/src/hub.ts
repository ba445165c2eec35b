import { refuseUnsupported } from './admission.ts'
import type { WSBroker, WSBrokerMessage } from './broker.ts'
import type { PublishFrame, WSTransport } from './connection-types.ts'
import type { WSContext } from './context.ts'
import { toSendable } from './data.ts'
import { HUB_INDEX, MemberList } from './member-list.ts'
import {
  DEFAULT_HELPER_MAX_CONNECTIONS,
  type ResolvedLimits,
  resolveLimits,
  validateLimits,
  type WSLimits,
} from './options.ts'
import type { WSRefusal } from './refusal.ts'
import { createRefusalLog, SILENT_LOGGER, type WSLogger } from './refusal-log.ts'
import { checkOptionNames, HELPER_ONLY_NAMES, LIMIT_NAMES, warnUnits } from './settings-check.ts'
import { isThenable } from './thenable.ts'
import type { WSSendData } from './types.ts'

/** Options of a helper instance: the limits for all its routes, and the broker that carries publishes further. */
export interface WSHubOptions extends WSLimits {
  /** Carries publishes to other helper instances (other processes); default none: publishes stay local. */
  broker?: WSBroker
  /**
   * Where the library's lines go (refused upgrades, setting warnings, errors no handler took): default `console`;
   * `false` for none. Refusals are rate-limited: the same one once a minute, at most 100 lines a minute.
   */
  logger?: WSLogger | false
  /** Called for every refused upgrade (403, 503, 400, 426), not rate-limited: for metrics or your own log. */
  onRefusal?: (refusal: WSRefusal) => void
  /**
   * Negotiate permessage-deflate (RFC 7692) with clients that offer it. Default `false`: compression costs memory
   * on every connection that negotiates it (see the core README). When negotiated, a message is compressed when
   * sent with `ws.send(data, { compress: true })`; without the extension `compress` changes nothing.
   */
  perMessageDeflate?: boolean
}

/** What an adapter tells the hub about its runtime: different defaults, and settings it cannot honour (with why). */
export interface WSRuntimeLimits {
  defaults?: WSLimits
  unsupported?: Partial<Record<keyof WSLimits, string>>
  /** Set where one connection (or an HTTP route) may not send on another, with why: pub/sub and shutdown refuse. */
  isolatedConnections?: string
  /** How core drives this runtime's sockets, shared by every connection (`upgrade.connect(raw)` uses it). */
  transport?: WSTransport<any>
  /**
   * Maps route options the runtime names its own way onto the common ones (Deno's `protocol` → `protocols`), before
   * they are checked; it may warn through `logger`. Runs once per route (per call in the direct form).
   */
  routeOptions?(options: any, logger: WSLogger): any
  /** Option names the adapter reads itself, beside the common ones (checked for typos with the common ones). */
  optionNames?: { helper?: readonly string[]; route?: readonly string[] }
  /** Set where the runtime cannot negotiate permessage-deflate, with why: `perMessageDeflate: true` is refused. */
  noPerMessageDeflate?: string
}

/** A live, read-only view of a helper's open connections. */
export interface WSConnections extends Iterable<WSContext<any>> {
  readonly size: number
}

/** What the hub needs from a connection it tracks. */
export interface HubMember {
  ws: WSContext<any>
  /** Its position among the hub's members (kept by the hub; -1 when in none). */
  [HUB_INDEX]?: number
  /**
   * Sends an already-encoded payload, skipping per-send checks (a publish is encoded once for everyone), through the
   * publish's shared frame when given and its transport can (`WSTransport.frame`).
   */
  sendEncoded(payload: string | Uint8Array, shared?: PublishFrame): void
  /** Drops the connection now (when its closing handshake did not finish in time): `onClose` runs with 1006. */
  abort(reason: string): void
}

/** Pub/sub done natively by the runtime (Bun's `server.publish`), instead of the hub's own fan-out. */
export interface WSNativePubSub {
  subscribe(member: HubMember, topic: string): void
  unsubscribe(member: HubMember, topic: string): void
  /** Publishes to everyone subscribed, except `from` when given. */
  publish(topic: string, payload: string | Uint8Array, from?: HubMember): void
}

/**
 * The state of one helper instance: its open connections, their topics, the limits every route starts from,
 * server-side publish and graceful shutdown. Adapters create one per helper and hand it to core.
 */
export interface WSHub {
  readonly id: string
  readonly options: WSHubOptions
  readonly runtime: WSRuntimeLimits
  /** Open connections (count and iteration), live. */
  readonly connections: WSConnections
  /** True once `shutdown()` was called: new upgrades are refused with 503. */
  readonly closing: boolean
  /** Most open connections of this helper (its `maxConnections`, default 10,000). */
  readonly maxConnections: number
  /** The helper's limits resolved over the runtime's defaults: what every route starts from (routes may lower). */
  readonly limits: ResolvedLimits
  /**
   * The limits of a route with these options over the helper's: resolved once per options object and shared by the
   * route's connections (which only read them); the helper's own when `route` is undefined.
   */
  limitsFor(route: WSLimits | undefined): ResolvedLimits
  /** Where this helper's lines go (`options.logger`, default `console`). */
  readonly logger: WSLogger
  /** Reports a refused upgrade: to `onRefusal`, and to the logger within its rate limit. */
  refused(refusal: WSRefusal): void
  /** Sends `data` to every connection subscribed to `topic` (and to other instances through the broker). */
  publish(topic: string, data: WSSendData): void
  /**
   * Closes every open connection with 1001 (or `code`) and resolves once each `onClose` has run. A connection whose
   * closing handshake has not finished after `timeout` ms (default 10,000) is dropped, and its `onClose` runs (1006).
   */
  shutdown(options?: { code?: number; reason?: string; timeout?: number }): Promise<void>
  /** Lets the runtime do the fan-out (Bun). */
  useNativePubSub(native: WSNativePubSub): void
  /** Adapter-facing: connection bookkeeping. */
  add(member: HubMember): void
  remove(member: HubMember): void
  subscribe(member: HubMember, topic: string): void
  unsubscribe(member: HubMember, topic: string): void
  isSubscribed(member: HubMember, topic: string): boolean
  publishFrom(member: HubMember | undefined, topic: string, data: WSSendData): void
}

let hubs = 0

/** Creates the hub of one helper instance. */
export function createWebSocketHub(options: WSHubOptions = {}, runtime: WSRuntimeLimits = {}): WSHub {
  const helperNames = [...LIMIT_NAMES, ...HELPER_ONLY_NAMES, ...(runtime.optionNames?.helper ?? [])]
  checkOptionNames(options, helperNames, 'helper options')
  validateLimits(options)
  refuseUnsupported(options, runtime.unsupported)
  if (options.perMessageDeflate !== undefined && typeof options.perMessageDeflate !== 'boolean')
    throw new TypeError(
      `perMessageDeflate must be true or false, got ${JSON.stringify(options.perMessageDeflate)}.`
    )
  if (options.perMessageDeflate && runtime.noPerMessageDeflate)
    throw new Error(`perMessageDeflate is not available here: ${runtime.noPerMessageDeflate}`)
  if (options.logger !== undefined && options.logger !== false) {
    const l = options.logger as Partial<WSLogger>
    if (typeof l !== 'object' || typeof l.warn !== 'function' || typeof l.error !== 'function')
      throw new TypeError(
        'logger must be false or an object with warn(message) and error(message, error) methods.'
      )
  }
  const logger: WSLogger = options.logger === false ? SILENT_LOGGER : (options.logger ?? console)
  warnUnits(options, logger, 'helper options')
  const logRefusal = createRefusalLog(logger)
  const helperLimits = resolveLimits(options, undefined, runtime.defaults)
  const routeLimits = new WeakMap<object, ResolvedLimits>()
  const id = `${Date.now().toString(36)}-${(hubs++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  const members = new MemberList<HubMember>(HUB_INDEX)
  const topicsOf = new Map<HubMember, Set<string>>()
  const subscribers = new Map<string, Set<HubMember>>()
  const closedWaiters: (() => void)[] = []
  let native: WSNativePubSub | undefined
  let closing = false

  const connections: WSConnections = {
    get size() {
      return members.size
    },
    *[Symbol.iterator]() {
      // A copy: the loop may close connections, which leave the list.
      for (const member of [...members.items]) yield member.ws
    },
  }

  const requireShared = (what: string) => {
    if (runtime.isolatedConnections)
      throw new Error(`${what} is not available here: ${runtime.isolatedConnections}`)
  }

  const deliverLocal = (topic: string, payload: string | Uint8Array, from?: HubMember) => {
    const set = subscribers.get(topic)
    if (!set) return
    const shared: PublishFrame = {}
    for (const m of set) if (m !== from) m.sendEncoded(payload, shared)
  }

  const unsubscribeAll = (member: HubMember) => {
    const topics = topicsOf.get(member)
    if (!topics) return
    for (const topic of topics) {
      const set = subscribers.get(topic)
      set?.delete(member)
      if (set?.size === 0) subscribers.delete(topic)
    }
    topicsOf.delete(member)
  }

  const stopBroker = options.broker?.subscribe((message: WSBrokerMessage) => {
    if (message.origin === id) return
    if (native) native.publish(message.topic, message.data)
    else deliverLocal(message.topic, message.data)
  })
  // The local subscribers already have the message: a broker that fails (Redis down) costs the other instances'
  // copies, and is reported, but neither fails the handler that published nor leaves a rejection unhandled.
  const reportBrokerFailure = (error: unknown) =>
    logger.error('[honokit/ws] the broker could not carry a publish to other instances:', error)
  const toBroker = (message: WSBrokerMessage) => {
    if (!options.broker) return
    try {
      const sent: unknown = options.broker.publish(message)
      if (isThenable(sent)) sent.then(undefined, reportBrokerFailure)
    } catch (error) {
      reportBrokerFailure(error)
    }
  }

  const hub: WSHub = {
    id,
    options,
    runtime,
    connections,
    get closing() {
      return closing
    },
    maxConnections: options.maxConnections ?? DEFAULT_HELPER_MAX_CONNECTIONS,
    limits: helperLimits,
    limitsFor(route) {
      if (!route) return helperLimits
      let limits = routeLimits.get(route)
      if (!limits) {
        limits = resolveLimits(options, route, runtime.defaults)
        routeLimits.set(route, limits)
      }
      return limits
    },
    logger,
    refused(refusal) {
      try {
        options.onRefusal?.(refusal)
      } catch (error) {
        logger.error('[honokit/ws] onRefusal threw:', error)
      }
      logRefusal(refusal)
    },
    publish(topic, data) {
      hub.publishFrom(undefined, topic, data)
    },
    publishFrom(member, topic, data) {
      requireShared('publish')
      const payload = toSendable(data)
      if (native) native.publish(topic, payload, member)
      else deliverLocal(topic, payload, member)
      toBroker({ topic, data: payload, origin: id })
    },
    async shutdown(opts = {}) {
      requireShared('shutdown')
      closing = true
      // A closing helper takes no more publishes from other instances.
      stopBroker?.()
      for (const { ws } of [...members.items])
        ws.close(opts.code ?? 1001, opts.reason ?? 'Server shutting down')
      if (members.size === 0) return
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), opts.timeout ?? 10_000)
      })
      const outcome = await Promise.race([new Promise<void>((resolve) => closedWaiters.push(resolve)), late])
      clearTimeout(timer)
      if (outcome === 'late') for (const member of [...members.items]) member.abort('Shutdown timed out')
    },
    useNativePubSub(n) {
      native = n
    },
    add(member) {
      members.add(member)
    },
    remove(member) {
      members.delete(member)
      unsubscribeAll(member)
      if (members.size === 0) for (const done of closedWaiters.splice(0)) done()
    },
    subscribe(member, topic) {
      requireShared('subscribe')
      const topics = topicsOf.get(member) ?? new Set<string>()
      if (topics.has(topic)) return
      topics.add(topic)
      topicsOf.set(member, topics)
      if (native) native.subscribe(member, topic)
      else {
        const set = subscribers.get(topic)
        if (set) set.add(member)
        else subscribers.set(topic, new Set([member]))
      }
    },
    unsubscribe(member, topic) {
      const topics = topicsOf.get(member)
      if (!topics?.delete(topic)) return
      if (native) native.unsubscribe(member, topic)
      const set = subscribers.get(topic)
      set?.delete(member)
      if (set?.size === 0) subscribers.delete(topic)
    },
    isSubscribed(member, topic) {
      return topicsOf.get(member)?.has(topic) ?? false
    },
  }
  return hub
}
