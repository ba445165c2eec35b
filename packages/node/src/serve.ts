import type { AddressInfo } from 'node:net'
import { createAdaptorServer as createHonoNodeServer, type ServerType } from '@hono/node-server'
import { dispatchUpgrade, prepareServer, type UpgradeEmitter } from './dispatch.ts'
import type { NodeWebSocketServerInput } from './websocket-like.ts'

type HonoNodeServerOptions = Parameters<typeof createHonoNodeServer>[0]
type WithoutWebSocket<T> = T extends unknown ? Omit<T, 'websocket'> : never

/** Options of `serve` and `createAdaptorServer`: those of `@hono/node-server`, with a `ws` server for WebSockets. */
export type NodeServeOptions = WithoutWebSocket<HonoNodeServerOptions> & {
  /** A `ws` `WebSocketServer` created with `{ noServer: true }`; it performs the handshakes `upgradeWebSocket` accepts. */
  websocket?: { server: NodeWebSocketServerInput }
}

/**
 * `createAdaptorServer` of `@hono/node-server` whose `websocket: { server }` completes the upgrades of every
 * `upgradeWebSocket` from this package. Upgrade requests go through the `fetch` given here, like every other request.
 */
export function createAdaptorServer(options: NodeServeOptions): ServerType {
  const { websocket, ...rest } = options
  const server = createHonoNodeServer(rest as HonoNodeServerOptions)
  const wss = websocket?.server
  if (!wss) return server
  if (wss.options?.noServer !== true)
    throw new Error(
      'serve({ websocket: { server } }) from @honokit/ws-node needs a WebSocketServer that leaves the HTTP server to ' +
        'serve(): create it with `new WebSocketServer({ noServer: true })`.'
    )
  prepareServer(wss)
  const target = { server: server as unknown as UpgradeEmitter, wss, emitConnection: true }
  server.on('upgrade', (req, socket, head) => dispatchUpgrade(target, req, socket, head))
  server.on('close', () => wss.close())
  return server
}

/**
 * `serve` of `@hono/node-server` with WebSockets from this package: pass a `ws` `WebSocketServer` as
 * `websocket.server`, and routes use `upgradeWebSocket` from this package. No `injectWebSocket` is needed.
 * @example
 * const wss = new WebSocketServer({ noServer: true })
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * serve({ fetch: app.fetch, port: 3000, websocket: { server: wss } })
 */
export function serve(
  options: NodeServeOptions,
  listeningListener?: (info: AddressInfo) => void
): ServerType {
  const server = createAdaptorServer(options)
  server.listen(options.port ?? 3000, options.hostname, () => {
    listeningListener?.(server.address() as AddressInfo)
  })
  return server
}
