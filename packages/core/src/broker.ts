/** A message carried between helper instances: the topic, the payload, and which hub published it. */
export interface WSBrokerMessage {
  topic: string
  data: string | Uint8Array
  /** Id of the publishing hub, so it does not deliver its own publish twice. */
  origin: string
}

/**
 * Carries publishes between helper instances (processes, servers). The default is none: a publish reaches the
 * subscribers of its own helper. A package for Redis or another bus implements these two methods.
 */
export interface WSBroker {
  publish(message: WSBrokerMessage): void | Promise<void>
  /** Starts delivering other instances' messages to `deliver`; returns the function that stops it. */
  subscribe(deliver: (message: WSBrokerMessage) => void): () => void
}

/** A broker inside one process: every helper given the same instance shares its topics. */
export function createMemoryBroker(): WSBroker {
  const listeners = new Set<(message: WSBrokerMessage) => void>()
  return {
    publish(message) {
      for (const deliver of listeners) deliver(message)
    },
    subscribe(deliver) {
      listeners.add(deliver)
      return () => listeners.delete(deliver)
    },
  }
}
