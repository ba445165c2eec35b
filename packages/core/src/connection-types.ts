import type { WSContext } from './context.ts'
import type { WSHub } from './hub-types.ts'
import type { ResolvedLimits } from './options.ts'
import type { SendOptions, WSData, WSReadyState } from './types.ts'

/** Open connections of one route, counted for its `maxConnections`. */
export interface RouteCounter {
  open: number
}

/**
 * How core drives one kind of runtime socket `R`. An adapter defines it once (module level), and every connection
 * shares it: no closures per connection. Rules core relies on and enforces:
 * - `send` and `close` are never called after core saw the socket close, nor `send` after `close`.
 * - `close` may run the runtime's close callback before it returns (uWebSockets.js does): core tolerates a
 *   re-entrant `WSConnection.close()` from inside it.
 * - Without `readyState` core tracks the state itself (open until a close is asked for or reported).
 * - Without `ping` and `terminate` there is no heartbeat; without `bufferedAmount` no backpressure.
 */
export interface WSTransport<R> {
  /**
   * Sends text, or exactly the bytes of the view (core passes a `Uint8Array` over exactly the message's bytes).
   * Return `false` when the runtime reports that nothing waits in its send buffer (Bun's `send` returning the bytes
   * written): core then skips reading `bufferedAmount` for this send. Any other result (or none) makes core read it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a transport that reports nothing returns nothing.
  send(raw: R, data: string | Uint8Array, options: SendOptions): boolean | void
  /** Starts the closing handshake with a code and reason core has validated (RFC 6455 §7.4). */
  close(raw: R, code: number, reason: string): void
  /** The runtime socket's own `readyState`, read live; optional. */
  readyState?(raw: R): WSReadyState
  /** Sends a ping frame; with `terminate`, enables the heartbeat. */
  ping?(raw: R): void
  /** Drops the connection without a closing handshake (the heartbeat's verdict, a shutdown past its deadline). */
  terminate?(raw: R): void
  /** Bytes waiting in the runtime's send buffer; enables backpressure (`maxBufferedAmount`, `drained()`). */
  bufferedAmount?(raw: R): number
  /**
   * Encodes a whole message (text, or exactly the bytes of the view) as the runtime's ready-to-write form, once for
   * a publish: the hub calls it once per publish and hands the result to `sendFrame` for every subscriber. Optional;
   * with `sendFrame`.
   */
  frame?(data: string | Uint8Array): unknown
  /**
   * Sends a `frame()` result on one socket; the socket's own `send` of `data` where it cannot take a pre-encoded
   * frame now (a message of its own still in progress, compression). Returns like `send`.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a transport that reports nothing returns nothing.
  sendFrame?(raw: R, frame: unknown, data: string | Uint8Array): boolean | void
}

/** What an adapter gives core about one runtime socket, in the form with one closure per callback (kept for compatibility). */
export interface WSConnectionInit<T> {
  raw: T
  url: string
  protocol: string
  /** Initial `ws.data`, for an adapter that restores a connection. */
  data?: WSData
  /** The connection opened earlier and is being restored (after hibernation): it starts open, `onOpen` is not repeated. */
  resumed?: boolean
  /** The runtime socket's own state, read live; optional (core tracks it when absent). */
  readyState?(): WSReadyState
  /** Sends text or exact bytes on the runtime socket. */
  send(data: string | Uint8Array, options: SendOptions): void
  /** Closes the runtime socket with a code and reason core has validated. */
  close(code: number, reason: string): void
  /** The helper's hub: the connection joins its registry and topics. */
  hub?: WSHub
  /** The limits in force for this connection. */
  limits?: ResolvedLimits
  /** The route's open-connection counter. */
  route?: RouteCounter
  /** Sends a ping frame (runtimes that can; enables the heartbeat). */
  ping?(): void
  /** Drops the connection without a closing handshake (the heartbeat's verdict). */
  terminate?(): void
  /** Bytes waiting in the runtime's send buffer. */
  bufferedAmount?(): number
}

/**
 * Why a runtime ended a connection, where runtimes report it differently: core maps each to the one meaning
 * `onClose` reports everywhere, always with `wasClean: false` (the runtime failed the connection). `'message-too-big'`:
 * the runtime refused an oversized message (Bun and uWS report 1006 with a reason) → 1009. `'ping-timeout'`: the
 * runtime's own ping timer dropped a silent peer (Deno reports 1001) → 1006. `'protocol-error'`: the runtime
 * refused a frame that breaks RFC 6455 (`ws` reports 1006 after its error) → 1002. `'invalid-payload'`: a text
 * message or close reason was not UTF-8 → 1007.
 */
export type WSCloseCause = 'message-too-big' | 'ping-timeout' | 'protocol-error' | 'invalid-payload'

/**
 * The adapter's handle on one connection: it reports runtime events, core applies the policy. The handle is the
 * connection's `WSContext` itself (one object per connection); these methods are not part of the context's type.
 */
export interface WSConnection<T> {
  /** The context every handler of this connection receives (the handle itself). */
  readonly ws: WSContext<T>
  /** The runtime socket is open: delivers `onOpen` once, then any message that arrived before it. */
  open(): void
  /**
   * A message arrived: text as `string`, binary as `ArrayBuffer` or a view. Core takes the bytes before it returns
   * only when `transient` is set: pass it when the runtime reuses or detaches the buffer after its callback returns
   * (uWebSockets.js); otherwise core keeps a whole `ArrayBuffer` by reference and copies a partial view once.
   */
  message(data: string | ArrayBuffer | ArrayBufferView, transient?: boolean): void
  /**
   * The runtime socket closed: delivers `onClose` once; later calls are ignored (also a re-entrant call from inside
   * the transport's `close`). Named `closed`, not `close`: the handle is also the context, whose `close()` is the
   * application's. Returns a promise that settles when an async `onClose` has finished, for runtimes that
   * must be told to keep running until then (Workers' waitUntil).
   */
  closed(code: number, reason: string, wasClean?: boolean): Promise<void> | undefined
  /** The runtime closed the connection for a cause it reports in its own way: core reports the standard code. */
  closedBy(cause: WSCloseCause, reason?: string): Promise<void> | undefined
  /** The runtime reported an error: delivered to `onError` (not after close); the runtime does the closing. */
  error(error: unknown): void
  /** A pong arrived (the peer is alive). */
  pong(): void
  /**
   * The runtime's send buffer drained. May be called at any time, any number of times; `onDrain` and code awaiting
   * `ws.drained()` run after it returns (in a microtask), never inside the runtime's callback.
   */
  drain(): void
}

/** What a connection is made of besides its events and plan: the socket and what the upgrade decided. */
export interface ConnectionSetup<T> {
  raw: T
  url: string
  protocol: string
  data?: WSData
  resumed?: boolean
}
