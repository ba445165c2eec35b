import type { WSRuntimeLimits } from '@honokit/ws-core/adapter'
import { transport } from './cloudflare-like.ts'

/** What a Worker cannot do besides: touch a socket from another request (pub/sub, shutdown). */
export const WORKER_LIMITS: WSRuntimeLimits = {
  get defaults() {
    return WORKERD_LIMITS.defaults
  },
  get unsupported() {
    return WORKERD_LIMITS.unsupported
  },
  transport,
  isolatedConnections:
    'in a Worker a WebSocket may only be used by the request that opened it ("Cannot perform I/O on behalf of a ' +
    'different request"); serve the route from a Durable Object with createDurableWebSocket to reach other connections.',
}

/** What workerd cannot do of the common limits, and the defaults that follow (RUNTIME-NOTES W11-W15). */
export const WORKERD_LIMITS: WSRuntimeLimits = {
  transport,
  defaults: { heartbeat: false },
  unsupported: {
    heartbeat:
      "workerd's WebSocket cannot send ping frames. In a Durable Object, autoResponse answers client pings " +
      'without waking it; otherwise send application-level pings.',
    maxBufferedAmount: 'workerd does not report how much data waits to be sent (no bufferedAmount).',
    drainThreshold: 'workerd does not report how much data waits to be sent (no bufferedAmount).',
  },
}
