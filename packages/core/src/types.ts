import type { Context, MiddlewareHandler, TypedResponse } from 'hono'
import type { StatusCode } from 'hono/utils/http-status'
import type { WSConnection } from './connection-types.ts'
import type { WSContext } from './context.ts'
import type { WSHub } from './hub-types.ts'
import type { ResolvedLimits, WSLimits } from './options.ts'

/** The `readyState` values of a WebSocket: CONNECTING, OPEN, CLOSING, CLOSED. */
export type WSReadyState = 0 | 1 | 2 | 3

/** What `onMessage` receives: text as `string`, binary as an `ArrayBuffer` holding exactly the message's bytes. */
export type WSMessageReceive = string | ArrayBuffer

/** What `ws.send` accepts; a view sends exactly its own bytes. */
export type WSSendData = string | ArrayBuffer | ArrayBufferView

/** Options of `ws.send`. */
export interface SendOptions {
  /** Ask for permessage-deflate on this message where the connection negotiated it. */
  compress?: boolean
}

/** The event handed to `onOpen`. */
export interface WSOpenEvent {
  readonly type: string
}

/** The event handed to `onMessage`: a plain object with the `MessageEvent` fields handlers read. */
export interface WSMessageEvent<T = WSMessageReceive> {
  readonly type: string
  readonly data: T
}

/** The event handed to `onClose`: a plain object with the `CloseEvent` fields handlers read. */
export interface WSCloseEvent {
  readonly type: string
  readonly code: number
  readonly reason: string
  readonly wasClean: boolean
}

/** The event handed to `onError`; `error` is what was thrown or rejected, or the runtime's error. */
export interface WSErrorEvent {
  readonly type: string
  readonly error?: unknown
  readonly message?: string
}

/**
 * WebSocket event listeners, as in `hono/ws`. Declared as methods so handlers written against the DOM types
 * (`(evt: MessageEvent) => …`, `(evt: CloseEvent) => …`) keep compiling, and returning `void` as there, so a handler
 * may return anything (`onOpen: (_e, ws) => clients.add(ws)`); a returned promise that rejects reaches `onError`.
 */
export interface WSEvents<T = unknown> {
  onOpen?(evt: WSOpenEvent, ws: WSContext<T>): void
  /** The send buffer went over `drainThreshold` and is back at or below it (not part of `hono/ws`). */
  onDrain?(evt: WSOpenEvent, ws: WSContext<T>): void
  onMessage?(evt: WSMessageEvent, ws: WSContext<T>): void
  onClose?(evt: WSCloseEvent, ws: WSContext<T>): void
  onError?(evt: WSErrorEvent, ws: WSContext<T>): void
}

/**
 * Handlers annotated the way `hono/ws` types them: `onMessage(evt: MessageEvent<WSMessageReceive>, ws)` with `hono/ws`'s
 * wider `WSMessageReceive` (or any other `MessageEvent<…>`), `onClose(evt: CloseEvent, ws)`, `onOpen`/`onError` with
 * `Event`, and `ws` as `hono/ws`'s `WSContext`. `upgradeWebSocket` accepts such objects too; the events they receive
 * are still core's (text as `string`, binary as an `ArrayBuffer`, no DOM `Event` methods).
 */
export interface WSAnnotatedEvents<T = unknown> {
  onOpen?(evt: WSOpenEvent, ws: WSContext<T>): void
  onDrain?(evt: WSOpenEvent, ws: WSContext<T>): void
  onMessage?(evt: { readonly type: string; readonly data: unknown }, ws: WSContext<T>): void
  onClose?(evt: WSCloseEvent, ws: WSContext<T>): void
  onError?(evt: WSErrorEvent, ws: WSContext<T>): void
}

/** Picks the subprotocol from the ones the client offered; `false`, `null` or `''` picks none. */
export type WSProtocolSelector = (offered: readonly string[], c: Context) => string | false | null | undefined

/** Options every adapter's `upgradeWebSocket` understands: the subprotocol choice and the limits of this route. */
export interface WSUpgradeOptions extends WSLimits {
  /**
   * Subprotocols this route speaks, in the server's order of preference, or a function that picks one.
   * Unset: the first offered is taken (what `ws` and Bun do natively). When the client offered subprotocols and
   * none is acceptable, the upgrade is refused with `400` (clients fail such a handshake anyway).
   */
  protocols?: readonly string[] | WSProtocolSelector
}

/**
 * `upgradeWebSocket`: middleware form `(createEvents, options?)` and direct form `(c, events, options?)`, as in
 * `hono/ws`. Two more signatures take handlers annotated with `hono/ws`'s DOM types ({@link WSAnnotatedEvents}); they
 * come last, so unannotated handlers are typed from core's events.
 */
export interface UpgradeWebSocket<T = unknown, U = any, _WSEvents = WSEvents<T>> {
  (
    createEvents: (c: Context) => _WSEvents | Promise<_WSEvents>,
    options?: U
  ): MiddlewareHandler<any, string, { outputFormat: 'ws' }>
  // biome-ignore lint/complexity/noBannedTypes: the exact type hono/ws returns, which `hc` reads for `$ws`.
  (c: Context, events: _WSEvents, options?: U): Promise<Response & TypedResponse<{}, StatusCode, 'ws'>>
  (
    createEvents: (c: Context) => WSAnnotatedEvents<T> | Promise<WSAnnotatedEvents<T>>,
    options?: U
  ): MiddlewareHandler<any, string, { outputFormat: 'ws' }>
  (
    c: Context,
    events: WSAnnotatedEvents<T>,
    options?: U
    // biome-ignore lint/complexity/noBannedTypes: the exact type hono/ws returns, which `hc` reads for `$ws`.
  ): Promise<Response & TypedResponse<{}, StatusCode, 'ws'>>
}

/** What core has decided about an upgrade before the adapter performs it, and how to bind the runtime socket. */
export interface WSUpgradeInfo<T = any> {
  /** The negotiated subprotocol, `''` when none. */
  protocol: string
  /** The request URL. */
  url: string
  /** The limits in force for this connection (route over helper over defaults). */
  limits: ResolvedLimits
  /** The helper's hub, when the helper has one. */
  hub?: WSHub
  /** The route's open-connection counter. */
  route: { open: number }
  /** The 101's headers: what middleware set before the upgrade and the negotiated subprotocol. */
  readonly headers: Headers
  /**
   * The app's response as it stood when the upgrade was admitted (status 200, no body), whose headers object is
   * `headers`: what the adapter returns where the runtime ignores the handler's response once it has upgraded (Bun),
   * rather than a `Response` of its own. Each `Response` made per upgrade costs about 0.1 KiB of resident memory per
   * connection on Bun (bench/README.md).
   */
  readonly response: Response
  /** Creates the connection on runtime socket `raw`, with the transport the adapter declared on its hub. */
  connect(raw: T, restore?: { data?: WSData; resumed?: boolean }): WSConnection<T>
}

/**
 * The adapter's part of `defineWebSocketHelper`: perform the upgrade and return the response, or nothing when this
 * runtime cannot upgrade the request. Core has already checked the handshake and chosen the subprotocol.
 */
export type WebSocketHelperDefineHandler<T, U> = (
  c: Context,
  events: WSEvents<T>,
  options: U | undefined,
  upgrade: WSUpgradeInfo<T>
) => // biome-ignore lint/suspicious/noConfusingVoidType: hono/ws's signature; adapters written for it return nothing.
Promise<Response | void> | Response | void

/** Kept for `hono/ws` compatibility. */
// biome-ignore lint/complexity/noBannedTypes: the empty type hono/ws exports under this name.
export type WebSocketHelperDefineContext = {}

/** Per-connection application data (`ws.data`); augment this interface to type your fields. */
export interface WSData {
  [key: string]: unknown
}

/** The argument of `new WSContext(init)`, as in `hono/ws`; `readyState` is read live on every access. */
export interface WSContextInit<T = unknown> {
  send(data: string | Uint8Array, options: SendOptions): void
  close(code: number, reason: string): void
  raw?: T
  readonly readyState: WSReadyState
  url?: string | URL | null
  protocol?: string | null
  /** Initial `ws.data` (an adapter restoring a connection passes what it saved). */
  data?: WSData
  bufferedAmount?(): number
  drained?(): Promise<void>
  subscribe?(topic: string): void
  unsubscribe?(topic: string): void
  isSubscribed?(topic: string): boolean
  publish?(topic: string, data: WSSendData): void
}
