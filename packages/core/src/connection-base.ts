import { HANDLER_ERROR_CLOSE_CODE, SLOW_CONSUMER_CLOSE_CODE, TOO_BIG_CLOSE_CODE } from './close-code.ts'
import type { ConnectionPlan } from './connection-plan.ts'
import {
  BOUND_MAX,
  BOUND_SHIFT,
  boundAfter,
  CHECK_DRAIN,
  CLOSE_REQUESTED,
  CLOSED,
  CONNECTING,
  DELIVER,
  EVENTS,
  FAILED,
  FLAG_BITS,
  FLAGS,
  OPEN,
  PEER_FAULT,
  PLAN,
  REPORT,
  RUN,
  STATE,
  UNCOMMON,
  type Uncommon,
} from './connection-state.ts'
import type { ConnectionSetup } from './connection-types.ts'
import { OWN_SIDE, rawOf, WSContext } from './context.ts'
import { toExactArrayBuffer, toSendable } from './data.ts'
import { DrainWatch } from './drain-watch.ts'
import { callHandler, type Handler, reportError, settle } from './handler-call.ts'
import { HB_DUE } from './heartbeat.ts'
import type { WSHub } from './hub-types.ts'
import { HB_INDEX, HUB_INDEX } from './member-list.ts'
import type { PublishFrame } from './publish-frame.ts'
import type { SendOptions, WSContextInit, WSEvents, WSReadyState, WSSendData } from './types.ts'
import { exceeds } from './utf8.ts'

const NO_OPTIONS: SendOptions = {}

/**
 * A connection's state and its message path: what arrives (`message`), what is sent (`send`, the hub's deliveries),
 * the send buffer (slow consumers, drain) and a failing handler. Its fields are private or keyed by symbols, so the
 * application's context shows none of them. `Connection` (connection.ts) adds the rest of the connection's life:
 * open, the close reports, the heartbeat's and the hub's side.
 */
export abstract class ConnectionBase<T> extends WSContext<T> {
  readonly #events: WSEvents<T>
  readonly #plan: ConnectionPlan<T>
  #flags: number
  #uncommon: Uncommon | undefined = undefined;
  [HB_DUE] = 0;
  [HB_INDEX] = -1;
  [HUB_INDEX] = -1

  static {
    // A connection drives its own context: `WSContext`'s constructor keeps no `InitSide` for it.
    Object.defineProperty(ConnectionBase.prototype, OWN_SIDE, { value: true })
  }

  constructor(events: WSEvents<T>, plan: ConnectionPlan<T>, setup: ConnectionSetup<T>) {
    // The context's fields (socket, URL, subprotocol, data) are read from the setup.
    super(setup as unknown as WSContextInit<T>)
    this.#events = events
    this.#plan = plan
    this.#flags = setup.resumed ? OPEN : CONNECTING
  }

  /** The helper's hub, when the connection belongs to one. */
  get hub(): WSHub | undefined {
    return this.#plan.hub
  }

  // ── for `Connection` ──

  protected get [FLAGS](): number {
    return this.#flags
  }
  protected set [FLAGS](flags: number) {
    this.#flags = flags
  }
  protected get [PLAN](): ConnectionPlan<T> {
    return this.#plan
  }
  protected get [EVENTS](): WSEvents<T> {
    return this.#events
  }
  protected get [UNCOMMON](): Uncommon | undefined {
    return this.#uncommon
  }

  get #state(): number {
    return this.#flags & STATE
  }
  #setBound(bytes: number): void {
    this.#flags = (this.#flags & FLAG_BITS) | (bytes << BOUND_SHIFT)
  }
  #has(flag: number): boolean {
    return (this.#flags & flag) !== 0
  }
  #uncommonState(): Uncommon {
    if (this.#uncommon === undefined) this.#uncommon = {}
    return this.#uncommon
  }

  /** The runtime socket's state, or the one core tracks where the transport has no `readyState`. */
  #rawState(): WSReadyState {
    const read = this.#plan.transport.readyState
    if (read) return read(rawOf(this))
    return this.#has(CLOSE_REQUESTED) ? 2 : 1
  }

  // ── the context's side ──

  contextReadyState(): WSReadyState {
    if (this.#state === CLOSED) return 3
    if (this.#state === CONNECTING) return 0
    const raw = this.#rawState()
    return this.#has(CLOSE_REQUESTED) && raw < 2 ? 2 : raw
  }

  buffered(): number {
    return this.#plan.transport.bufferedAmount?.(rawOf(this)) ?? 0
  }

  requestClose(code: number, reason: string): void {
    this.#flags |= CLOSE_REQUESTED
    this.#uncommonState().sentClose ??= { code, reason }
    this.#plan.transport.close(rawOf(this), code, reason)
  }

  /**
   * `WSContext.send`, written out for a connection: the checks of `#canSend` and the common case of `#checkBuffer`
   * inline. Through those calls Bun echo measured 0.92-0.94 of the same work written inline, and 0.97-0.98 this way
   * (bench/README.md, "The message path").
   */
  override send(data: WSSendData, options?: SendOptions): void {
    const payload = typeof data === 'string' ? data : toSendable(data)
    if ((this.#flags & (STATE | CLOSE_REQUESTED)) !== OPEN) return
    const plan = this.#plan
    const transport = plan.transport
    const raw = rawOf(this)
    if (transport.readyState !== undefined && transport.readyState(raw) !== 1) return
    const sent = transport.send(raw, payload, options ?? NO_OPTIONS)
    if (plan.limits === undefined) return
    // false: nothing waits in the runtime's send buffer (Bun, most sends).
    if (sent === false) this.#flags &= FLAG_BITS
    else this.#checkBuffer(sent, payload)
  }

  sendIfOpen(data: string | Uint8Array, options: SendOptions): void {
    this.send(data, options)
  }

  /** `contextReadyState() === 1`, with no call where the transport has no `readyState` (Bun): the send path. */
  #canSend(): boolean {
    if ((this.#flags & (STATE | CLOSE_REQUESTED)) !== OPEN) return false
    const read = this.#plan.transport.readyState
    return !read || read(rawOf(this)) === 1
  }

  /** After a send: closes a slow consumer, or starts watching for the drain, reading the buffer only when needed. */
  // biome-ignore lint/suspicious/noConfusingVoidType: what the transport's send returned.
  #checkBuffer(sent: boolean | void, data: string | Uint8Array): void {
    const limits = this.#plan.limits
    if (!limits) return
    // false: the runtime said nothing waits in its send buffer, so there is nothing to check.
    const bound = sent === false ? 0 : boundAfter(this.#flags >>> BOUND_SHIFT, data, limits)
    if (bound >= 0) {
      this.#setBound(bound)
      return
    }
    const amount = this.buffered()
    this.#setBound(Math.min(amount, BOUND_MAX))
    if (amount > limits.maxBufferedAmount) this.#closeForPolicy(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer')
    else if (amount > limits.drainThreshold && !this.#uncommon?.drain?.watching) this.#watchDrain()
  }

  whenDrained(): Promise<void> {
    return this.buffered() <= (this.#plan.limits?.drainThreshold ?? 0) || this.#state === CLOSED
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.#watchDrain(resolve))
  }

  #watchDrain(done?: () => void): void {
    const u = this.#uncommonState()
    u.drain ??= new DrainWatch(
      () => this.buffered() <= (this.#plan.limits?.drainThreshold ?? 0) || this.#state === CLOSED,
      () => {
        // Never inside the runtime's drain callback: a send made there can stall the connection (uWebSockets.js).
        if (this.#state !== CLOSED && this.#events.onDrain)
          queueMicrotask(() => {
            if (this.#state !== CLOSED) this[RUN]('onDrain', this.#events.onDrain, { type: 'drain' })
          })
      }
    )
    u.drain.watch(done)
  }

  protected [CHECK_DRAIN](): void {
    this.#uncommon?.drain?.check()
  }

  // ── the hub's side ──

  sendEncoded(payload: string | Uint8Array, shared?: PublishFrame): void {
    if (!this.#canSend()) return
    const transport = this.#plan.transport
    if (!shared || !transport.sendFrame || !transport.frame)
      this.#checkBuffer(transport.send(rawOf(this), payload, NO_OPTIONS), payload)
    else
      this.#checkBuffer(
        transport.sendFrame(rawOf(this), shared.for(transport as never, payload), payload),
        payload
      )
  }

  // ── the adapter's side: a message ──

  message(data: string | ArrayBuffer | ArrayBufferView, transient?: boolean): void {
    if (this.#state === CLOSED || this.#has(FAILED)) return
    if (this[HB_DUE] < 0) this.#plan.heartbeat?.alive(this as never)
    if (this.#plan.limits && exceeds(data, this.#plan.limits.maxPayload)) {
      this.#flags |= PEER_FAULT
      this.#closeForPolicy(TOO_BIG_CLOSE_CODE, 'Message too big')
      return
    }
    const payload = typeof data === 'string' ? data : toExactArrayBuffer(data, transient)
    if (this.#state !== CONNECTING) this[DELIVER](payload)
    else {
      const u = this.#uncommonState()
      if (u.pending) u.pending.push(payload)
      else u.pending = [payload]
    }
  }

  // onMessage is called here, inside this method's own `try`, rather than through `callHandler` (one more call, with a
  // `try` of its own) like the rarer handlers: Bun echo measured 0.89-0.94 of raw that way and 0.96-1.02 this way
  // (8 rounds each, bench/profile/echo.ts).
  protected [DELIVER](data: string | ArrayBuffer): void {
    const events = this.#events
    if (this.#has(FAILED) || !events.onMessage) return
    try {
      const result = events.onMessage({ type: 'message', data }, this)
      // Most handlers return nothing: no call then (Bun echo, bench/README.md "The message path").
      if (result !== undefined) settle(result, 'onMessage', this)
    } catch (e) {
      this.handlerFailed(e, 'onMessage')
    }
  }

  // ── policy ──

  /** Calls a handler with `this` the events object; a throw or a rejection fails the connection. */
  protected [RUN](where: string, handler: Handler<T>, evt: object): Promise<void> | undefined {
    return callHandler(this.#events, where, handler, evt, this, this)
  }

  /** A handler threw or rejected: reported, and the connection closes with 1011 (for `callHandler`). */
  handlerFailed(error: unknown, where: string): void {
    this.#flags |= FAILED
    this[REPORT](error, where)
    try {
      this.#closeForPolicy(HANDLER_ERROR_CLOSE_CODE, 'Internal Error')
    } catch (e) {
      ;(this.hub?.logger ?? console).error('[honokit/ws] closing after a handler error failed:', e)
    }
  }

  protected [REPORT](error: unknown, where: string): void {
    reportError(this.#events, this, this.hub?.logger ?? console, error, where)
  }

  #closeForPolicy(code: number, reason: string): void {
    this.#flags |= FAILED
    if (this.#state === OPEN && !this.#has(CLOSE_REQUESTED) && this.#rawState() < 2)
      this.requestClose(code, reason)
  }
}
