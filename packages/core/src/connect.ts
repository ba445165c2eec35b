import { Connection } from './connection.ts'
import { connectionPlan } from './connection-plan.ts'
import type { WSConnection, WSConnectionInit, WSTransport } from './connection-types.ts'
import type { WSData, WSEvents, WSUpgradeInfo } from './types.ts'

/**
 * Creates the lifecycle of one connection. Guarantees: `onOpen` once and before any `onMessage` (earlier messages
 * are buffered), `onClose` once, the same `WSContext` everywhere, a throw or rejection in any handler reaches
 * `onError` and closes with 1011, and the limits (payload, heartbeat, send buffer) hold.
 */
export function createConnection<T>(events: WSEvents<T>, init: WSConnectionInit<T>): WSConnection<T> {
  const transport: WSTransport<T> = {
    send: (_raw, data, options) => {
      init.send(data, options)
    },
    close: (_raw, code, reason) => init.close(code, reason),
    readyState: init.readyState && (() => init.readyState!()),
    ping: init.ping && (() => init.ping!()),
    terminate: init.terminate && (() => init.terminate!()),
    bufferedAmount: init.bufferedAmount && (() => init.bufferedAmount!()),
  }
  return new Connection(events, connectionPlan(transport, init.hub, init.limits, init.route), init)
}

/**
 * Creates the connection of an accepted upgrade on runtime socket `raw`, driven by the adapter's shared `transport`.
 * `restore` carries `ws.data` and `resumed` for a connection woken after hibernation.
 */
export function connectSocket<T>(
  events: WSEvents<T>,
  transport: WSTransport<T>,
  raw: T,
  upgrade: Pick<WSUpgradeInfo, 'url' | 'protocol' | 'limits' | 'hub' | 'route'>,
  restore?: { data?: WSData; resumed?: boolean }
): WSConnection<T> {
  return new Connection(events, connectionPlan(transport, upgrade.hub, upgrade.limits, upgrade.route), {
    raw,
    url: upgrade.url,
    protocol: upgrade.protocol,
    data: restore?.data,
    resumed: restore?.resumed,
  })
}
