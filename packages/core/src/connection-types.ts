import type { WSContext } from './context.ts'
import type { WSHub } from './hub.ts'
import type { ResolvedLimits } from './options.ts'
import type { SendOptions, WSData, WSReadyState } from './types.ts'

/** Open connections of one route, counted for its `maxConnections`. */
export interface RouteCounter {
  open: number
}

/** What an adapter gives core about one runtime socket. */
export interface WSConnectionInit<T> {
  raw: T
  url: string
  protocol: string
  /** Initial `ws.data`, for an adapter that restores a connection. */
  data?: WSData
  /** The connection opened earlier and is being restored (after hibernation): it starts open, `onOpen` is not repeated. */
  resumed?: boolean
  /** The runtime socket's own state, read live. */
  readyState(): WSReadyState
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

/** The adapter's handle on one connection: it reports runtime events, core applies the policy. */
export interface WSConnection<T> {
  /** The context every handler of this connection receives. */
  readonly ws: WSContext<T>
  /** The runtime socket is open: delivers `onOpen` once, then any message that arrived before it. */
  open(): void
  /** A message arrived: text as `string`, binary as `ArrayBuffer` or a view (exact bytes are taken). */
  message(data: string | ArrayBuffer | ArrayBufferView): void
  /**
   * The runtime socket closed: delivers `onClose` once; later calls are ignored. Returns a promise that settles when
   * an async `onClose` has finished, for runtimes that must be told to keep running until then (Workers' waitUntil).
   */
  close(code: number, reason: string, wasClean?: boolean): Promise<void> | undefined
  /** The runtime reported an error: delivered to `onError` (not after close); the runtime does the closing. */
  error(error: unknown): void
  /** A pong arrived (the peer is alive). */
  pong(): void
  /** The runtime's send buffer drained. */
  drain(): void
}
