import {
  copyHeaders,
  createWebSocketHub,
  defineWebSocketHelper,
  helperInstance,
  type ResolvedLimits,
  type UpgradeWebSocket,
  type WSConnection,
  type WSHelperInstance,
  type WSHubOptions,
  type WSLogger,
  type WSReadyState,
  type WSTransport,
  type WSUpgradeOptions,
  warnOnce,
} from '@honokit/ws-core/adapter'
import type { DenoLike, DenoNativeUpgradeOptions, DenoWebSocketLike } from './deno-like.ts'

/**
 * Options of `upgradeWebSocket` on Deno: the common `protocols`, Deno's `idleTimeout` (seconds), and `protocol`
 * as `hono/deno` took it (a single subprotocol, the same as `protocols: [protocol]`).
 */
export interface DenoUpgradeOptions extends WSUpgradeOptions, DenoNativeUpgradeOptions {
  protocol?: string
}

const NOT_DENO =
  'upgradeWebSocket() from @honokit/ws-deno runs only on Deno: `Deno.upgradeWebSocket` is missing.'
// What Deno says when it closes a peer that did not answer its pings (RUNTIME-NOTES D4).
const DENO_PING_TIMEOUT = 'No response from ping frame.'

/** A helper instance for Deno: `upgradeWebSocket` plus the instance API. */
export interface DenoWebSocket extends WSHelperInstance {
  upgradeWebSocket: UpgradeWebSocket<DenoWebSocketLike, DenoUpgradeOptions>
}

/** How core drives Deno's `WebSocket`, shared by every connection. */
const transport: WSTransport<DenoWebSocketLike> = {
  send: (socket, data) => socket.send(data),
  // Deno drops the connection without its Close frame when close() runs while more client frames are already
  // buffered (seen: 20 of 20 bursts of 5 frames to a handler that closes); closing one task later lets those
  // frames be dispatched first (core ignores them after a close), and the Close frame then goes out.
  close: (socket, code, reason) => setTimeout(() => socket.close(code, reason), 0),
  readyState: (socket) => socket.readyState as WSReadyState,
  bufferedAmount: (socket) => socket.bufferedAmount,
}

// Each socket's connection, kept on the socket under a symbol of this module, so that the four listeners below are
// shared by every socket (Deno calls a listener with `this` the socket) instead of four closures per connection.
const CONNECTION = Symbol('honokit.connection')
type Socket = DenoWebSocketLike & { [CONNECTION]: WSConnection<DenoWebSocketLike> }

function onOpen(this: Socket): void {
  this[CONNECTION].open()
}
function onMessage(this: Socket, e: { data: string | ArrayBuffer }): void {
  this[CONNECTION].message(e.data)
}
function onClose(this: Socket, e: { code: number; reason: string; wasClean: boolean }): void {
  if (e.reason === DENO_PING_TIMEOUT) this[CONNECTION].closedBy('ping-timeout', e.reason)
  else this[CONNECTION].closed(e.code, e.reason, e.wasClean)
}
function onError(this: Socket, e: { error?: unknown; message?: string }): void {
  this[CONNECTION].error(e.error ?? new Error(e.message ?? 'WebSocket error'))
}

/** Deno pings at idleTimeout / 2 and drops at idleTimeout: the whole heartbeat, in seconds (at least 1). */
function idleTimeoutFor(limits: ResolvedLimits, explicit: number | undefined): number {
  if (explicit !== undefined) return explicit
  if (!limits.heartbeat) return 0
  return Math.max(1, Math.ceil((limits.heartbeat.interval + limits.heartbeat.timeout) / 1000))
}

/**
 * Creates a helper instance for Deno with its own limits, connections and topics.
 * @example
 * const { upgradeWebSocket, publish } = createDenoWebSocket({ maxPayload: 64 * 1024 })
 * Deno.serve(app.fetch)
 */
export function createDenoWebSocket(options: WSHubOptions = {}): DenoWebSocket {
  const hub = createWebSocketHub(options, {
    transport,
    noPerMessageDeflate:
      'Deno.upgradeWebSocket never negotiates permessage-deflate (Deno 2.9); messages are sent uncompressed.',
    routeOptions,
    optionNames: { route: ['idleTimeout', 'protocol'] },
  })
  const helper = defineWebSocketHelper<DenoWebSocketLike, DenoUpgradeOptions>((c, _events, opts, upgrade) => {
    const deno = (globalThis as unknown as { Deno?: DenoLike }).Deno
    if (typeof deno?.upgradeWebSocket !== 'function') throw new Error(NOT_DENO)
    // No `protocol` option here: Deno splits the offer only on ", " and throws for the `a,b` that many clients
    // send; core has chosen already, so the header is set directly (RUNTIME-NOTES D2).
    const { response, socket } = deno.upgradeWebSocket(c.req.raw, {
      idleTimeout: idleTimeoutFor(upgrade.limits, opts?.idleTimeout),
    })
    // Deno's 101 headers are mutable (RUNTIME-NOTES D1).
    copyHeaders(upgrade.headers, response.headers)
    socket.binaryType = 'arraybuffer'
    ;(socket as Socket)[CONNECTION] = upgrade.connect(socket)
    // Deno does not queue events for late listeners (RUNTIME-NOTES D3): attach before returning the response.
    socket.addEventListener('open', onOpen)
    socket.addEventListener('message', onMessage)
    socket.addEventListener('close', onClose)
    socket.addEventListener('error', onError)
    return response
  }, hub)
  return { upgradeWebSocket: helper, ...helperInstance(hub) }
}

/** Maps `hono/deno`'s `protocol` option onto the common `protocols`; warns on an `idleTimeout` given in ms. */
function routeOptions(o: DenoUpgradeOptions | undefined, logger: WSLogger): DenoUpgradeOptions | undefined {
  if (typeof o?.idleTimeout === 'number' && o.idleTimeout > 600)
    warnOnce(
      logger,
      `upgradeWebSocket options: idleTimeout is ${o.idleTimeout} SECONDS on Deno (Deno's unit), ` +
        `${(o.idleTimeout / 3600).toFixed(1)} hours. For milliseconds use heartbeat: { interval, timeout }.`
    )
  return o?.protocol !== undefined && o.protocols === undefined ? { ...o, protocols: [o.protocol] } : o
}

/**
 * `upgradeWebSocket` for Deno, on `Deno.upgradeWebSocket` (the default helper instance).
 * @example
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * Deno.serve(app.fetch)
 */
export const upgradeWebSocket: UpgradeWebSocket<DenoWebSocketLike, DenoUpgradeOptions> =
  createDenoWebSocket().upgradeWebSocket
