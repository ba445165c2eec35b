import type { WSBroker, WSBrokerMessage } from '@honokit/ws-core'
import { decodeMessage, encodeMessage } from './frame.ts'

/** Events of a node-redis client that tell the broker whether Redis can be reached. */
type ClientEvent = 'ready' | 'error' | 'end' | 'reconnecting'

/** What the broker reads from a node-redis client to follow its connection (node-redis 5 and 6 have both). */
export interface RedisConnectionEvents {
  /** True while the connection is up and usable. */
  readonly isReady?: boolean
  /** False once the app closed the client (then the broker goes `down` without logging an outage). */
  readonly isOpen?: boolean
  on?(event: ClientEvent, listener: (...args: any[]) => void): unknown
  off?(event: ClientEvent, listener: (...args: any[]) => void): unknown
}

/** The part of a node-redis client (`redis` 5 or 6) that publishes. */
export interface RedisPublisher extends RedisConnectionEvents {
  publish(channel: string, message: Buffer): Promise<unknown>
}

/** The part of a node-redis client that subscribes, in buffer mode. A subscribed connection can do nothing else. */
export interface RedisSubscriber extends RedisConnectionEvents {
  subscribe(channel: string, listener: (message: Buffer) => void, bufferMode: true): Promise<unknown>
  unsubscribe(channel: string, listener: (message: Buffer) => void, bufferMode: true): Promise<unknown>
}

/**
 * Where the broker stands: `connecting` until the first subscription is in place, `ready` while both clients are
 * connected (publishes cross instances), `down` while either is not (publishes reach local subscribers only).
 */
export type RedisBrokerState = 'connecting' | 'ready' | 'down'

/** Where the broker writes its few log lines (one when Redis goes down, one when it is back). */
export interface RedisBrokerLogger {
  error(...args: unknown[]): void
  info(...args: unknown[]): void
}

export interface RedisBrokerOptions {
  /** A connected client that publishes; it stays usable for anything else. */
  publisher: RedisPublisher
  /** A second connected client, for this broker's subscription only: `await publisher.duplicate().connect()`. */
  subscriber: RedisSubscriber
  /** The Redis channel that every instance of one app shares (default `honokit:ws`). */
  channel?: string
  /** Default: `console` (`error` and `info`). */
  logger?: RedisBrokerLogger
}

export interface RedisBroker extends WSBroker {
  /**
   * Settles once the subscription Redis acknowledged is in place (Redis drops publishes made before it): await it
   * before the server takes traffic. Rejects when subscribing failed.
   */
  readonly ready: Promise<void>
  /** The broker's state now. */
  readonly state: RedisBrokerState
  /** Calls `listener` on every change of `state`; returns the function that stops it. */
  onStateChange(listener: (state: RedisBrokerState) => void): () => void
  /** Publishes dropped (not sent to other instances) since the broker was created, because Redis was down. */
  readonly dropped: number
}

/**
 * Carries topic publishes between helper instances (processes, machines, runtimes) over one Redis pub/sub channel.
 * Each instance receives every publish and delivers it to its own subscribers of the topic; its own publishes come
 * back marked with its origin and are skipped. Text stays text and binary arrives byte for byte.
 *
 * While Redis is unreachable (`state` is `down`) publishes reach local subscribers only: the copies for other
 * instances are dropped, never queued and replayed later, so nothing arrives twice or out of order. One line is
 * logged when an outage starts and one when it ends (with the count dropped). node-redis reconnects by itself and
 * restores the subscription before it reports `ready` again.
 * @example
 * const publisher = await createClient({ url: process.env.REDIS_URL }).connect()
 * const broker = createRedisBroker({ publisher, subscriber: await publisher.duplicate().connect() })
 * const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app, broker })
 * await broker.ready
 */
export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  const channel = options.channel ?? 'honokit:ws'
  const logger = options.logger ?? console
  const { publisher, subscriber } = options
  const deliveries = new Set<(message: WSBrokerMessage) => void>()
  const listeners = new Set<(state: RedisBrokerState) => void>()
  let state: RedisBrokerState = 'connecting'
  let subscribed = false
  let dropped = 0
  let droppedThisOutage = 0
  let downSince = 0
  let lastError = ''

  const setState = (next: RedisBrokerState) => {
    if (next === state) return
    const previous = state
    state = next
    const closedByApp = publisher.isOpen === false || subscriber.isOpen === false
    if (next === 'down' && previous === 'ready' && !closedByApp) {
      downSince = Date.now()
      droppedThisOutage = 0
      logger.error(
        `[honokit/ws-redis] Redis is unreachable${lastError ? ` (${lastError})` : ''}: publishes reach this instance's subscribers only, copies for other instances are dropped until it is back`
      )
    }
    if (next === 'ready' && previous === 'down' && downSince > 0) {
      const seconds = ((Date.now() - downSince) / 1000).toFixed(1)
      downSince = 0
      logger.info(
        `[honokit/ws-redis] Redis is back after ${seconds} s; ${droppedThisOutage} publish(es) to other instances were dropped meanwhile`
      )
    }
    for (const listener of listeners) {
      try {
        listener(next)
      } catch (error) {
        logger.error('[honokit/ws-redis] an onStateChange listener threw:', error)
      }
    }
  }
  // Ready only when both connections are up and the subscription was acknowledged (node-redis restores it on
  // reconnect before it emits `ready`); clients without `isReady` are taken as connected.
  const connected = () => publisher.isReady !== false && subscriber.isReady !== false
  const update = () => {
    if (subscribed && connected()) setState('ready')
    else if (state === 'ready') setState('down')
  }
  const onError = (error: unknown) => {
    lastError = error instanceof Error ? error.message : String(error)
    update()
  }
  // Listening to `error` also keeps node-redis from crashing the process on a lost connection (an EventEmitter
  // `error` without a listener throws).
  for (const client of [publisher, subscriber]) {
    client.on?.('ready', update)
    client.on?.('error', onError)
    client.on?.('reconnecting', update)
    client.on?.('end', update)
  }

  const onMessage = (bytes: Buffer) => {
    const message = decodeMessage(bytes)
    if (!message) {
      logger.error(`[honokit/ws-redis] ignored a message on ${channel} that no honokit broker published`)
      return
    }
    for (const deliver of deliveries) deliver(message)
  }
  const reportFailure = (error: unknown) =>
    logger.error(
      `[honokit/ws-redis] subscribing to ${channel} failed: publishes from other instances will not arrive`,
      error
    )
  const start = () =>
    subscriber.subscribe(channel, onMessage, true).then(() => {
      subscribed = true
      update()
    })
  // Subscribed from the start, so `ready` can be awaited before any helper exists; a failure is also reported here
  // so that it never goes unnoticed.
  const ready = start()
  ready.catch(reportFailure)
  let active = true
  return {
    ready,
    get state() {
      return state
    },
    get dropped() {
      return dropped
    },
    onStateChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async publish(message) {
      if (state !== 'ready' || !connected()) {
        // node-redis would queue it and send it on reconnect, to whichever instances have resubscribed by then:
        // dropping it is the defined behaviour.
        dropped++
        droppedThisOutage++
        return
      }
      const bytes = encodeMessage(message)
      await publisher.publish(channel, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    },
    subscribe(deliver) {
      deliveries.add(deliver)
      if (!active) {
        active = true
        start().catch(reportFailure)
      }
      return () => {
        // The last helper to stop (its shutdown) ends the subscription.
        if (!deliveries.delete(deliver) || deliveries.size > 0 || !active) return
        active = false
        subscribed = false
        subscriber.unsubscribe(channel, onMessage, true).catch(() => {})
      }
    },
  }
}
