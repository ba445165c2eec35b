import type { WSConnections, WSHub } from './hub-types.ts'
import type { WSSendData } from './types.ts'

/** What every adapter's helper instance offers beside `upgradeWebSocket`: the same three members everywhere. */
export interface WSHelperInstance {
  /** Open connections of this helper (count and iteration), live. */
  connections: WSConnections
  /** Sends `data` to every connection subscribed to `topic` (from an HTTP route, a job, …). */
  publish(topic: string, data: WSSendData): void
  /** Closes every connection with 1001, refuses new ones, resolves once every `onClose` has run. */
  shutdown(options?: { code?: number; reason?: string; timeout?: number }): Promise<void>
}

/** The instance API of a helper whose state is `hub`. */
export function helperInstance(hub: WSHub): WSHelperInstance {
  return {
    connections: hub.connections,
    publish: (topic, data) => hub.publish(topic, data),
    shutdown: (options) => hub.shutdown(options),
  }
}
