import {
  CAUSE_CODES,
  CAUSE_REASONS,
  HANDLER_ERROR_CLOSE_CODE,
  isSendableCloseCode,
  PROTOCOL_ERROR_CLOSE_CODE,
  SLOW_CONSUMER_CLOSE_CODE,
  TOO_BIG_CLOSE_CODE,
} from './close-code.ts'
import type { RouteCounter, WSCloseCause, WSConnection, WSTransport } from './connection-types.ts'
import { WSContext } from './context.ts'
import { type ContextSide, ContextView } from './context-view.ts'
import { toExactArrayBuffer } from './data.ts'
import { type HeartbeatMember, type HeartbeatSweep, heartbeatSweep } from './heartbeat.ts'
import type { WSHub } from './hub.ts'
import type { ResolvedLimits } from './options.ts'
import { isThenable } from './thenable.ts'
import type { SendOptions, WSData, WSEvents, WSReadyState } from './types.ts'
import { exceeds } from './utf8.ts'

const CONNECTING = 0
const OPEN = 1
const CLOSED = 3

const noop = () => {}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

type Handler<T> = ((evt: any, ws: WSContext<T>) => unknown) | undefined

/** What a connection is made of besides its events and transport: the socket and what the upgrade decided. */
export interface ConnectionSetup<T> {
  raw: T
  url: string
  protocol: string
  data?: WSData
  resumed?: boolean
  hub?: WSHub
  limits?: ResolvedLimits
  route?: RouteCounter
}

/**
 * One connection: the adapter's handle (`WSConnection`), the hub's member (`HubMember`), and the state behind its
 * `WSContext`. Methods not in those interfaces are for `ContextView` only.
 */
export class Connection<T> implements WSConnection<T>, ContextSide, HeartbeatMember {
  readonly ws: WSContext<T>
  readonly hub: WSHub | undefined
  readonly #events: WSEvents<T>
  readonly #transport: WSTransport<T>
  readonly #raw: T
  readonly #route: RouteCounter | undefined
  readonly #limits: ResolvedLimits | undefined
  #state: typeof CONNECTING | typeof OPEN | typeof CLOSED
  #pending: (string | ArrayBuffer)[] | undefined = undefined
  // Set once a handler failed or a message was too big: the connection is closing and gets no further messages.
  #failed = false
  // Set once a close was asked for: readyState reports CLOSING from then on, even where the runtime updates its own
  // state late or the adapter defers the close; core asks for its own closes once.
  #closeRequested = false
  // The code and reason of the Close frame this side sent first: onClose reports them, whatever the peer answered.
  #sentClose: { code: number; reason: string } | undefined = undefined
  // Set when core failed the connection for the peer's fault (a message over maxPayload): never a clean close.
  #peerFault = false
  #heartbeat: HeartbeatSweep | undefined = undefined
  hbNextPing = 0
  hbDeadline = 0
  #drainWaiters: (() => void)[] | undefined = undefined
  #drainPoll: ReturnType<typeof setInterval> | undefined = undefined

  constructor(events: WSEvents<T>, transport: WSTransport<T>, setup: ConnectionSetup<T>) {
    this.#events = events
    this.#transport = transport
    this.#raw = setup.raw
    this.#route = setup.route
    this.#limits = setup.limits
    this.hub = setup.hub
    this.#state = setup.resumed ? OPEN : CONNECTING
    this.ws = new WSContext<T>(new ContextView<T>(this, setup))
    // The hub and the route count a connection from the moment the runtime accepted it, so capacity checks and a
    // shutdown that race its onOpen still see it.
    this.hub?.add(this)
    if (setup.route) setup.route.open++
    const hb = this.#limits?.heartbeat
    if (hb && transport.ping && transport.terminate) {
      this.#heartbeat = heartbeatSweep(hb)
      this.#heartbeat.add(this)
    }
  }

  // ── the heartbeat's side ──

  hbPing(): boolean {
    if (this.#state === CLOSED || this.#closeRequested) return false
    this.#transport.ping!(this.#raw)
    return true
  }

  hbTerminate(): void {
    this.abort('The peer did not answer pings')
  }

  /** The runtime socket's state, or the one core tracks where the transport has no `readyState`. */
  #rawState(): WSReadyState {
    const read = this.#transport.readyState
    if (read) return read(this.#raw)
    return this.#closeRequested ? 2 : 1
  }

  // ── the context's side ──

  contextReadyState(): WSReadyState {
    if (this.#state === CLOSED) return 3
    if (this.#state === CONNECTING) return 0
    const raw = this.#rawState()
    return this.#closeRequested && raw < 2 ? 2 : raw
  }

  buffered(): number {
    return this.#transport.bufferedAmount?.(this.#raw) ?? 0
  }

  requestClose(code: number, reason: string): void {
    this.#closeRequested = true
    this.#sentClose ??= { code, reason }
    this.#transport.close(this.#raw, code, reason)
  }

  sendNow(data: string | Uint8Array, options: SendOptions): void {
    this.#transport.send(this.#raw, data, options)
    const limits = this.#limits
    if (!limits) return
    const amount = this.buffered()
    if (amount > limits.maxBufferedAmount) this.#closeForPolicy(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer')
    else if (amount > limits.drainThreshold && !this.#drainWaiters) this.#watchDrain()
  }

  drained(): Promise<void> {
    return this.buffered() <= (this.#limits?.drainThreshold ?? 0) || this.#state === CLOSED
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.#watchDrain(resolve))
  }

  requireHub(): WSHub {
    if (!this.hub)
      throw new Error('pub/sub needs a helper instance: this connection was created without a hub.')
    return this.hub
  }

  // ── the hub's side ──

  sendEncoded(payload: string | Uint8Array): void {
    if (this.ws.readyState === 1) this.sendNow(payload, {})
  }

  abort(reason: string): void {
    try {
      this.#transport.terminate?.(this.#raw)
    } catch {
      // already gone
    }
    this.#finish(1006, reason, false)
  }

  // ── the adapter's side ──

  open(): void {
    if (this.#state !== CONNECTING) return
    this.#state = OPEN
    this.#run('onOpen', this.#events.onOpen, { type: 'open' })
    const queued = this.#pending
    this.#pending = undefined
    if (queued) for (const data of queued) if (this.#state === OPEN) this.#deliver(data)
  }

  message(data: string | ArrayBuffer | ArrayBufferView, transient?: boolean): void {
    if (this.#state === CLOSED || this.#failed) return
    this.hbDeadline = 0
    if (this.#limits && exceeds(data, this.#limits.maxPayload)) {
      this.#peerFault = true
      this.#closeForPolicy(TOO_BIG_CLOSE_CODE, 'Message too big')
      return
    }
    const payload = typeof data === 'string' ? data : toExactArrayBuffer(data, transient)
    if (this.#state !== CONNECTING) this.#deliver(payload)
    else if (this.#pending) this.#pending.push(payload)
    else this.#pending = [payload]
  }

  close(rawCode: number, reason: string, wasClean?: boolean): Promise<void> | undefined {
    if (this.#state === CLOSED) return undefined
    // Deno reports an abrupt drop as code 0 (RUNTIME-NOTES D4); every other runtime says 1006.
    const code = rawCode > 0 ? rawCode : 1006
    const clean = wasClean ?? code !== 1006
    // The server closed first: its own code and reason, whatever the peer echoed (RFC 6455 §7.1.5 lets the answer
    // differ); clean only if the runtime saw the peer's Close.
    const sent = this.#sentClose
    if (sent) return this.#finish(sent.code, sent.reason, clean && code !== 1006 && !this.#peerFault)
    // A peer's Close with a code that may not be sent (999, 1004, 2999, …) is a protocol error, reported as 1002
    // wherever the runtime let it through; 1005 and 1006 are what runtimes report for "no code" and "no Close frame".
    if (!isSendableCloseCode(code) && !(code === 1005 && clean) && !(code === 1006 && !clean))
      return this.#finish(PROTOCOL_ERROR_CLOSE_CODE, 'Invalid close code', false)
    return this.#finish(code, reason, clean)
  }

  closedBy(cause: WSCloseCause, reason?: string): Promise<void> | undefined {
    // The runtime failed the connection itself: no closing handshake completed.
    return this.#finish(CAUSE_CODES[cause], reason || CAUSE_REASONS[cause], false)
  }

  #finish(code: number, reason: string, wasClean: boolean): Promise<void> | undefined {
    if (this.#state === CLOSED) return undefined
    // A socket the runtime accepted always gets the pair onOpen/onClose, so setup in onOpen is always undone.
    if (this.#state === CONNECTING) this.open()
    this.#state = CLOSED
    this.#heartbeat?.remove(this)
    this.hub?.remove(this)
    if (this.#route) this.#route.open--
    this.#checkDrain()
    return this.#run('onClose', this.#events.onClose, {
      type: 'close',
      code,
      reason: reason ?? '',
      wasClean,
    })
  }

  error(error: unknown): void {
    if (this.#state !== CLOSED) this.#reportError(error, 'the runtime socket')
  }

  pong(): void {
    this.hbDeadline = 0
  }

  drain(): void {
    if (this.#drainWaiters) this.#checkDrain()
  }

  // ── policy ──

  #closeForPolicy(code: number, reason: string): void {
    this.#failed = true
    if (this.#state === OPEN && !this.#closeRequested && this.#rawState() < 2) this.requestClose(code, reason)
  }

  #checkDrain(): void {
    if (this.buffered() > (this.#limits?.drainThreshold ?? 0) && this.#state !== CLOSED) return
    if (this.#drainPoll !== undefined) clearInterval(this.#drainPoll)
    this.#drainPoll = undefined
    const waiters = this.#drainWaiters
    this.#drainWaiters = undefined
    if (!waiters) return
    for (const done of waiters) done()
    // Never inside the runtime's drain callback: a send made there can stall the connection (uWebSockets.js).
    if (this.#state !== CLOSED && this.#events.onDrain)
      queueMicrotask(() => {
        if (this.#state !== CLOSED) this.#run('onDrain', this.#events.onDrain, { type: 'drain' })
      })
  }

  #watchDrain(done?: () => void): void {
    this.#drainWaiters ??= []
    if (done) this.#drainWaiters.push(done)
    // Runtimes without a drain event (Deno) are polled; the others also call drain() when they drain.
    this.#drainPoll ??= setInterval(() => this.#checkDrain(), 25)
  }

  #deliver(data: string | ArrayBuffer): void {
    if (!this.#failed) this.#run('onMessage', this.#events.onMessage, { type: 'message', data })
  }

  /** Calls a handler with `this` the events object; a throw or a rejection fails the connection. */
  #run(where: string, handler: Handler<T>, evt: object): Promise<void> | undefined {
    if (!handler) return undefined
    try {
      const r = handler.call(this.#events, evt, this.ws)
      if (isThenable(r)) return Promise.resolve(r).then(noop, (e) => this.#fail(e, where))
    } catch (e) {
      this.#fail(e, where)
    }
    return undefined
  }

  #fail(error: unknown, where: string): void {
    this.#failed = true
    this.#reportError(error, where)
    try {
      this.#closeForPolicy(HANDLER_ERROR_CLOSE_CODE, 'Internal Error')
    } catch (e) {
      this.#logger.error('[honokit/ws] closing after a handler error failed:', e)
    }
  }

  get #logger(): Pick<Console, 'error'> {
    return this.hub?.logger ?? console
  }

  #reportError(error: unknown, where: string): void {
    const onError = this.#events.onError
    if (!onError) {
      this.#logger.error(`[honokit/ws] ${where} threw and no onError handler is set:`, error)
      return
    }
    const logFailure = (e: unknown) =>
      this.#logger.error(`[honokit/ws] onError threw while handling an error from ${where}:`, e)
    try {
      const r = onError.call(this.#events, { type: 'error', error, message: describe(error) }, this.ws)
      if (isThenable(r)) r.then(undefined, logFailure)
    } catch (e) {
      logFailure(e)
    }
  }
}
