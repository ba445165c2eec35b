import { WSContext as HonoWSContext } from 'hono/ws'
import { normalizeCloseArgs } from './close-code.ts'
import { toSendable } from './data.ts'
import type { SendOptions, WSContextInit, WSData, WSReadyState, WSSendData } from './types.ts'

const NO_OPTIONS: SendOptions = {}

const noop = () => {}

/**
 * One connection as handlers see it: the same object in every handler of a connection, `readyState` live,
 * `url` the request URL (parsed once, when the context is made), `protocol` the negotiated subprotocol (`''` when none).
 * It extends `hono/ws`'s `WSContext`, so code that types contexts with Hono's class (a `Set<WSContext>` of
 * clients, a helper taking one) accepts it unchanged.
 */
export class WSContext<T = unknown> extends HonoWSContext<T> {
  #init: WSContextInit<T>

  /** The negotiated subprotocol, `''` when none was negotiated. */
  declare protocol: string
  #data: WSData | undefined

  constructor(init: WSContextInit<T>) {
    // Hono's constructor gets no URL: it would parse a string but not take a URL object as it is.
    super({ send: noop, close: noop, raw: init.raw, readyState: 0, url: null, protocol: init.protocol ?? '' })
    this.#init = init
    this.#data = init.data
    // Parsed once, here, as a plain data property. A lazy accessor would be defined per instance, which turns every
    // context into a slow dictionary-mode object in V8: 450 bytes more per connection than the URL costs.
    const url = init.url
    this.url = url ? (typeof url === 'string' ? new URL(url) : url) : null
  }

  /**
   * The application's own data for this connection, the same object in every handler; nothing of the library lives
   * here. Type it by augmenting `WSData` through the adapter you import: `declare module '@honokit/ws-bun' { interface WSData { user: string } }`.
   * Made on first use (a connection that never reads it costs no object).
   */
  get data(): WSData {
    if (this.#data === undefined) this.#data = {}
    return this.#data
  }
  set data(value: WSData) {
    this.#data = value
  }

  /** The live state: 0 connecting, 1 open, 2 closing, 3 closed (already 3 inside `onClose`). */
  override get readyState(): WSReadyState {
    return this.#init.readyState
  }

  /** Sends text or exactly the bytes of a binary value; does nothing once the connection is closing or closed. */
  override send(data: WSSendData, options?: SendOptions): void {
    const payload = toSendable(data)
    if (this.#init.readyState !== 1) return
    this.#init.send(payload, options ?? NO_OPTIONS)
  }

  /** Bytes waiting in the runtime's send buffer (0 where the runtime does not tell). */
  get bufferedAmount(): number {
    return this.#init.bufferedAmount?.() ?? 0
  }

  /** Resolves once the send buffer is at or below `drainThreshold` (at once when it is, or when closed). */
  drained(): Promise<void> {
    return this.#init.drained?.() ?? Promise.resolve()
  }

  /** Joins `topic`: `publish(topic, …)` from anywhere reaches this connection until it leaves or closes. */
  subscribe(topic: string): void {
    this.#need('subscribe').subscribe?.(topic)
  }

  /** Leaves `topic`. */
  unsubscribe(topic: string): void {
    this.#need('unsubscribe').unsubscribe?.(topic)
  }

  /** True while this connection is subscribed to `topic`. */
  isSubscribed(topic: string): boolean {
    return this.#init.isSubscribed?.(topic) ?? false
  }

  /** Sends `data` to every other connection subscribed to `topic` (this one excluded). */
  publish(topic: string, data: WSSendData): void {
    this.#need('publish').publish?.(topic, data)
  }

  #need(what: 'subscribe' | 'unsubscribe' | 'publish'): WSContextInit<T> {
    if (!this.#init[what]) {
      throw new Error(
        `ws.${what}() needs pub/sub, which this adapter's WSContext was not given (see createConnection).`
      )
    }
    return this.#init
  }

  /**
   * Starts the closing handshake with `code` (default 1000) and `reason` (at most 123 UTF-8 bytes); throws a
   * `RangeError` for a code that may not be sent or a reason that does not fit. Closing twice is harmless.
   */
  override close(code?: number, reason?: string): void {
    const args = normalizeCloseArgs(code, reason)
    const state = this.#init.readyState
    if (state === 2 || state === 3) return
    this.#init.close(args.code, args.reason)
  }
}
