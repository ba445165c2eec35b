import type { WSBroker, WSBrokerMessage } from '@honokit/ws-core'
import { decodeMessage, encodeMessage } from './frame.ts'

/** The part of a node-redis client (`redis` 5 or 6) that publishes. */
export interface RedisPublisher {
  publish(channel: string, message: Buffer): Promise<unknown>
}

/** The part of a node-redis client that subscribes, in buffer mode. A subscribed connection can do nothing else. */
export interface RedisSubscriber {
  subscribe(channel: string, listener: (message: Buffer) => void, bufferMode: true): Promise<unknown>
  unsubscribe(channel: string, listener: (message: Buffer) => void, bufferMode: true): Promise<unknown>
}

export interface RedisBrokerOptions {
  /** A connected client that publishes; it stays usable for anything else. */
  publisher: RedisPublisher
  /** A second connected client, for this broker's subscription only: `await publisher.duplicate().connect()`. */
  subscriber: RedisSubscriber
  /** The Redis channel that every instance of one app shares (default `honokit:ws`). */
  channel?: string
}

export interface RedisBroker extends WSBroker {
  /**
   * Settles once the subscription Redis acknowledged is in place (Redis drops publishes made before it): await it
   * before the server takes traffic. Rejects when subscribing failed.
   */
  readonly ready: Promise<void>
}

/**
 * Carries topic publishes between helper instances (processes, machines, runtimes) over one Redis pub/sub channel.
 * Each instance receives every publish and delivers it to its own subscribers of the topic; its own publishes come
 * back marked with its origin and are skipped. Text stays text and binary arrives byte for byte.
 * @example
 * const publisher = await createClient({ url: process.env.REDIS_URL }).connect()
 * const broker = createRedisBroker({ publisher, subscriber: await publisher.duplicate().connect() })
 * const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app, broker })
 * await broker.ready
 */
export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  const channel = options.channel ?? 'honokit:ws'
  const deliveries = new Set<(message: WSBrokerMessage) => void>()
  const onMessage = (bytes: Buffer) => {
    const message = decodeMessage(bytes)
    if (!message) {
      console.error(`[honokit/ws-redis] ignored a message on ${channel} that no honokit broker published`)
      return
    }
    for (const deliver of deliveries) deliver(message)
  }
  const reportFailure = (error: unknown) =>
    console.error(
      `[honokit/ws-redis] subscribing to ${channel} failed: publishes from other instances will not arrive`,
      error
    )
  const start = () => options.subscriber.subscribe(channel, onMessage, true).then(() => undefined)
  // Subscribed from the start, so `ready` can be awaited before any helper exists; a failure is also reported here
  // so that it never goes unnoticed.
  const ready = start()
  ready.catch(reportFailure)
  let active = true
  return {
    ready,
    async publish(message) {
      const bytes = encodeMessage(message)
      await options.publisher.publish(channel, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
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
        options.subscriber.unsubscribe(channel, onMessage, true).catch(() => {})
      }
    },
  }
}
