import { refuseUnsupported } from './admission.ts'
import type { WSBrokerMessage } from './broker.ts'
import { toSendable } from './data.ts'
import type {
  HubMember,
  WSConnections,
  WSHub,
  WSHubOptions,
  WSNativePubSub,
  WSRuntimeLimits,
} from './hub-types.ts'
import { HUB_INDEX, MemberList } from './member-list.ts'
import {
  DEFAULT_HELPER_MAX_CONNECTIONS,
  type ResolvedLimits,
  resolveLimits,
  validateLimits,
} from './options.ts'
import { PublishFrame } from './publish-frame.ts'
import { createRefusalLog, SILENT_LOGGER, type WSLogger } from './refusal-log.ts'
import { checkOptionNames, HELPER_ONLY_NAMES, LIMIT_NAMES, warnUnits } from './settings-check.ts'
import { isThenable } from './thenable.ts'

export type { HubMember, WSConnections, WSHub, WSHubOptions, WSNativePubSub, WSRuntimeLimits }

let hubs = 0

/** `hub`, or the error for pub/sub on a connection made without a helper instance. */
export function requireHub(hub: WSHub | undefined): WSHub {
  if (!hub) throw new Error('pub/sub needs a helper instance: this connection was created without a hub.')
  return hub
}

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
    const shared = new PublishFrame()
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
