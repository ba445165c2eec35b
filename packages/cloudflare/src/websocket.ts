import {
  createWebSocketHub,
  defineWebSocketHelper,
  helperInstance,
  type UpgradeWebSocket,
  type WSHelperInstance,
  type WSHubOptions,
  type WSUpgradeOptions,
} from '@honokit/ws-core/adapter'
import type { Context } from 'hono'
import {
  answerClose,
  type CloudflareWebSocketLike,
  createPair,
  failureOf,
  switchingProtocols,
} from './cloudflare-like.ts'
import { WORKER_LIMITS } from './runtime-limits.ts'

/** Extends the request's lifetime until `work` settles, where the app was given an ExecutionContext. */
function keepAlive(c: Context, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work)
  } catch {
    // No ExecutionContext (app.fetch called without one): nothing to extend.
  }
}

/** Options of `upgradeWebSocket` on Workers. */
export interface CloudflareUpgradeOptions extends WSUpgradeOptions {}

/** A helper instance for Workers: `upgradeWebSocket` plus the instance API (one isolate's connections). */
export interface CloudflareWebSocket extends WSHelperInstance {
  upgradeWebSocket: UpgradeWebSocket<CloudflareWebSocketLike, CloudflareUpgradeOptions>
}

/**
 * Creates a helper instance for Workers, on `WebSocketPair`: `onOpen` runs once the 101 is on its way and before
 * any message; the subprotocol and middleware headers are on the 101.
 * @example
 * const { upgradeWebSocket } = createCloudflareWebSocket({ maxPayload: 64 * 1024 })
 * app.get('/ws', upgradeWebSocket(() => ({ onOpen: (_e, ws) => ws.send('hi') })))
 */
export function createCloudflareWebSocket(options: WSHubOptions = {}): CloudflareWebSocket {
  const hub = createWebSocketHub(options, WORKER_LIMITS)
  const upgradeWebSocket = defineWebSocketHelper<CloudflareWebSocketLike, CloudflareUpgradeOptions>(
    (c, _events, _options, upgrade) => {
      const [client, server] = createPair()
      server.accept?.()
      // Binary messages arrive as Blob by default from compatibility date 2026-03-17 (RUNTIME-NOTES W11).
      server.binaryType = 'arraybuffer'
      const conn = upgrade.connect(server)
      server.addEventListener('message', (e: { data: string | ArrayBuffer }) => conn.message(e.data))
      server.addEventListener('close', (e: { code: number; reason: string; wasClean: boolean }) => {
        answerClose(server, e.code, e.reason, e.wasClean)
        const done = conn.closed(e.code, e.reason, e.wasClean)
        // The request's context ends with the socket, which would cut an async onClose short: keep it running.
        if (done) keepAlive(c, done)
      })
      server.addEventListener('error', (e: { error?: unknown; message?: string }) => {
        const error = e.error ?? new Error(e.message ?? 'WebSocket error')
        conn.error(error)
        // After failing a connection for a bad frame workerd fires no `close` (issue 12, input 6): report it here.
        const failure = failureOf(error)
        const done = failure ? conn.closedBy(failure) : undefined
        if (done) keepAlive(c, done)
      })
      // The server half never fires `open` (hono removed onOpen on Workers for that); it is open once the 101 is
      // returned. Messages that arrive before are buffered by core.
      setTimeout(() => conn.open(), 0)
      return switchingProtocols(client, upgrade.headers, hub.options.perMessageDeflate === true)
    },
    hub
  )
  return {
    upgradeWebSocket,
    ...helperInstance(hub),
  }
}

/**
 * `upgradeWebSocket` for Cloudflare Workers (the default helper instance).
 * @example
 * app.get('/ws', upgradeWebSocket(() => ({ onOpen: (_e, ws) => ws.send('hi'), onMessage: (e, ws) => ws.send(e.data) })))
 * export default app
 */
export const upgradeWebSocket: UpgradeWebSocket<CloudflareWebSocketLike, CloudflareUpgradeOptions> =
  createCloudflareWebSocket().upgradeWebSocket
