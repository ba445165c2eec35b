import { WSContext as HonoWSContext } from 'hono/ws'
import { normalizeCloseArgs } from './close-code.ts'
import { type ContextSide, InitSide, SIDE_METHODS } from './context-view.ts'
import { toSendable } from './data.ts'
import type { SendOptions, WSContextInit, WSData, WSReadyState, WSSendData } from './types.ts'

const NO_OPTIONS: SendOptions = {}

// `hono/ws`'s class without its constructor: contexts are still `instanceof` Hono's `WSContext` (its prototype is
// theirs), but Hono's constructor would give each one five own fields, among them a `URL` parsed eagerly (about
// 150 bytes per connection on Bun, more on V8). Every method of Hono's class is overridden below.
function HonoPrototype(): void {}
HonoPrototype.prototype = HonoWSContext.prototype
const HonoBase = HonoPrototype as unknown as typeof HonoWSContext

// Marks a subclass whose instances are their own side (core's `Connection`): their constructor registers no
// `InitSide`, so a connection costs no entry in `sides`.
export const OWN_SIDE: unique symbol = Symbol('honokit.ownSide')

// The side of each context made with `new WSContext(init)` (contexts an adapter makes itself).
const sides = new WeakMap<object, ContextSide>()

// What drives a context: the context itself, whose prototype has the `ContextSide` methods. Core's connection
// defines them; for `new WSContext(init)` the ones `WSContext`'s prototype gets below pass each call to its
// `InitSide`. No field, no lookup and no private accessor (a slot per instance in V8) on a connection's path.
const side = (ws: WSContext<any>) => ws as unknown as ContextSide

/** The runtime socket of a context (what `ws.raw` reads), for core's connection to drive. */
export let rawOf: <T>(ws: WSContext<T>) => T

/**
 * One connection as handlers see it: the same object in every handler of a connection, `readyState` live,
 * `url` the request URL (a `URL` parsed on first read, then the same object), `protocol` the negotiated subprotocol
 * (`''` when none). It is an `instanceof` `hono/ws`'s `WSContext`, so code that types contexts with Hono's class (a
 * `Set<WSContext>` of clients, a helper taking one) accepts it unchanged. Core's connections are instances of a
 * subclass that is its own `ContextSide`, so a connection is one object; `new WSContext(init)` drives `init`.
 */
export class WSContext<T = unknown> extends HonoBase<T> {
  #raw: T
  // The request URL as given; `url` parses it on first read, into #url (undefined until then).
  #href: string | URL | null
  #url: URL | null | undefined
  #protocol: string
  #data: WSData | undefined

  /** The request URL: a `URL` made on first read (and the same object after), `null` when there is none. */
  declare url: URL | null
  /** The runtime's socket. */
  declare raw?: T
  /** The negotiated subprotocol, `''` when none was negotiated. */
  declare protocol: string
  /** Always `'arraybuffer'`: binary messages arrive as `ArrayBuffer`. */
  declare binaryType: 'arraybuffer' | 'blob'

  constructor(init: WSContextInit<T>) {
    // HonoBase runs no code: the fields are this class's own (and accessors on its prototype).
    super(undefined as never)
    this.#raw = init.raw as T
    this.#href = init.url ?? null
    this.#url = undefined
    this.#protocol = init.protocol ?? ''
    this.#data = (init as { data?: WSData }).data
    if ((this as { [OWN_SIDE]?: boolean })[OWN_SIDE] !== true) sides.set(this, new InitSide(init))
  }

  static {
    rawOf = <T>(ws: WSContext<T>) => ws.#raw

    // On the prototype, not per instance: an accessor defined on each instance makes it a slow dictionary-mode
    // object in V8, and a field per instance costs memory on every connection.
    Object.defineProperties(WSContext.prototype, {
      url: {
        get(this: WSContext) {
          if (this.#url === undefined) {
            const url = this.#href
            this.#url = url ? (typeof url === 'string' ? new URL(url) : url) : null
          }
          return this.#url
        },
        set(this: WSContext, value: URL | null) {
          this.#url = value
        },
        configurable: true,
      },
      raw: {
        get(this: WSContext) {
          return this.#raw
        },
        // An assignment shadows the getter for the application only: core keeps sending on the runtime socket.
        set(this: WSContext, value: unknown) {
          Object.defineProperty(this, 'raw', { value, writable: true, configurable: true, enumerable: true })
        },
        configurable: true,
      },
      protocol: {
        get(this: WSContext) {
          return this.#protocol
        },
        set(this: WSContext, value: string) {
          this.#protocol = value
        },
        configurable: true,
      },
      binaryType: { value: 'arraybuffer', writable: true, configurable: true },
    })
    for (const name of SIDE_METHODS)
      Object.defineProperty(WSContext.prototype, name, {
        value(this: WSContext, ...args: never[]) {
          const side = sides.get(this)!
          return (side[name] as (...a: never[]) => unknown).apply(side, args)
        },
        writable: true,
        configurable: true,
      })
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
    return side(this).contextReadyState()
  }

  /** Sends text or exactly the bytes of a binary value; does nothing once the connection is closing or closed. */
  override send(data: WSSendData, options?: SendOptions): void {
    // The string test is repeated here so that a text message makes no call before the connection's own.
    side(this).sendIfOpen(typeof data === 'string' ? data : toSendable(data), options ?? NO_OPTIONS)
  }

  /** Bytes waiting in the runtime's send buffer (0 where the runtime does not tell). */
  get bufferedAmount(): number {
    return side(this).buffered()
  }

  /** Resolves once the send buffer is at or below `drainThreshold` (at once when it is, or when closed). */
  drained(): Promise<void> {
    return side(this).whenDrained()
  }

  /** Joins `topic`: `publish(topic, …)` from anywhere reaches this connection until it leaves or closes. */
  subscribe(topic: string): void {
    side(this).subscribeTo(topic)
  }

  /** Leaves `topic`. */
  unsubscribe(topic: string): void {
    side(this).unsubscribeFrom(topic)
  }

  /** True while this connection is subscribed to `topic`. */
  isSubscribed(topic: string): boolean {
    return side(this).subscribedTo(topic)
  }

  /** Sends `data` to every other connection subscribed to `topic` (this one excluded). */
  publish(topic: string, data: WSSendData): void {
    side(this).publishTo(topic, data)
  }

  /**
   * Starts the closing handshake with `code` (default 1000) and `reason` (at most 123 UTF-8 bytes); throws a
   * `RangeError` for a code that may not be sent or a reason that does not fit. Closing twice is harmless.
   */
  override close(code?: number, reason?: string): void {
    const args = normalizeCloseArgs(code, reason)
    const state = side(this).contextReadyState()
    if (state === 2 || state === 3) return
    side(this).requestClose(args.code, args.reason)
  }
}
