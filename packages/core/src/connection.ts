import { WSContext } from './context.ts'
import { toExactArrayBuffer } from './data.ts'
import { type Heartbeat, startHeartbeat } from './heartbeat.ts'
import type { HubMember, WSHub } from './hub.ts'
import type { ResolvedLimits } from './options.ts'
import type { SendOptions, WSContextInit, WSData, WSEvents, WSReadyState, WSSendData } from './types.ts'
import { exceeds } from './utf8.ts'

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

const CONNECTING = 0
const OPEN = 1
const CLOSED = 3

/** Close code sent when a handler throws or rejects: 1011, the server hit an unexpected condition. */
export const HANDLER_ERROR_CLOSE_CODE = 1011
/** Close code for a message larger than `maxPayload`. */
export const TOO_BIG_CLOSE_CODE = 1009
/** Close code for a consumer whose send buffer grew past `maxBufferedAmount`: try again later. */
export const SLOW_CONSUMER_CLOSE_CODE = 1013

const noop = () => {}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'
}

/**
 * What a connection's `WSContext` reads. A class, so that the live `readyState` getter lives once on its prototype:
 * a getter in an object literal is a new accessor per connection, which puts each such object into V8's slow
 * dictionary mode (measured: 830 bytes per connection).
 */
class LiveContextInit<T> implements WSContextInit<T> {
  readonly raw: T
  readonly url: string
  readonly protocol: string
  readonly data: WSData | undefined
  readonly send: WSContextInit<T>['send']
  readonly close: WSContextInit<T>['close']
  readonly bufferedAmount: () => number
  readonly drained: () => Promise<void>
  readonly subscribe: (topic: string) => void
  readonly unsubscribe: (topic: string) => void
  readonly isSubscribed: (topic: string) => boolean
  readonly publish: (topic: string, data: WSSendData) => void
  readonly #now: () => WSReadyState

  constructor(init: Omit<LiveContextInit<T>, 'readyState'>, now: () => WSReadyState) {
    this.raw = init.raw
    this.url = init.url
    this.protocol = init.protocol
    this.data = init.data
    this.send = init.send
    this.close = init.close
    this.bufferedAmount = init.bufferedAmount
    this.drained = init.drained
    this.subscribe = init.subscribe
    this.unsubscribe = init.unsubscribe
    this.isSubscribed = init.isSubscribed
    this.publish = init.publish
    this.#now = now
  }

  get readyState(): WSReadyState {
    return this.#now()
  }
}

/**
 * Creates the lifecycle of one connection. Guarantees: `onOpen` once and before any `onMessage` (earlier messages
 * are buffered), `onClose` once, the same `WSContext` everywhere, a throw or rejection in any handler reaches
 * `onError` and closes with 1011, and the limits (payload, heartbeat, send buffer) hold.
 */
export function createConnection<T>(events: WSEvents<T>, init: WSConnectionInit<T>): WSConnection<T> {
  let state: typeof CONNECTING | typeof OPEN | typeof CLOSED = init.resumed ? OPEN : CONNECTING
  let pending: (string | ArrayBuffer)[] | undefined
  // Set once a handler failed or a message was too big: the connection is closing and gets no further messages.
  let failed = false
  // Set once a close was asked for: readyState reports CLOSING from then on, even where the runtime updates its own
  // state late or the adapter defers the close; core asks for its own closes once.
  let closeRequested = false
  let heartbeat: Heartbeat | undefined
  let drainWaiters: (() => void)[] | undefined
  let drainPoll: ReturnType<typeof setInterval> | undefined
  const limits = init.limits
  const buffered = () => init.bufferedAmount?.() ?? 0

  const requestClose = (code: number, reason: string): void => {
    closeRequested = true
    init.close(code, reason)
  }
  const closeForPolicy = (code: number, reason: string) => {
    failed = true
    if (state === OPEN && !closeRequested && init.readyState() < 2) requestClose(code, reason)
  }

  const checkDrain = () => {
    if (buffered() > (limits?.drainThreshold ?? 0) && state !== CLOSED) return
    if (drainPoll !== undefined) clearInterval(drainPoll)
    drainPoll = undefined
    const waiters = drainWaiters
    drainWaiters = undefined
    if (!waiters) return
    for (const done of waiters) done()
    if (state !== CLOSED && events.onDrain)
      run('onDrain', () => events.onDrain?.call(events, { type: 'drain' }, ws))
  }
  const watchDrain = (done?: () => void) => {
    drainWaiters ??= []
    if (done) drainWaiters.push(done)
    // Runtimes without a drain event (Deno) are polled; the others also call drain() when they drain.
    drainPoll ??= setInterval(checkDrain, 25)
  }

  const sendNow = (data: string | Uint8Array, options: SendOptions) => {
    init.send(data, options)
    if (!limits) return
    const amount = buffered()
    if (amount > limits.maxBufferedAmount) closeForPolicy(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer')
    else if (amount > limits.drainThreshold && !drainWaiters) watchDrain()
  }

  const hub = init.hub
  const requireHub = () => {
    if (!hub) throw new Error('pub/sub needs a helper instance: this connection was created without a hub.')
    return hub
  }

  const ws: WSContext<T> = new WSContext<T>(
    new LiveContextInit<T>(
      {
        raw: init.raw,
        url: init.url,
        protocol: init.protocol,
        data: init.data,
        send: sendNow,
        close: requestClose,
        bufferedAmount: buffered,
        drained: () =>
          buffered() <= (limits?.drainThreshold ?? 0) || state === CLOSED
            ? Promise.resolve()
            : new Promise<void>((resolve) => watchDrain(resolve)),
        subscribe: (topic) => requireHub().subscribe(member, topic),
        unsubscribe: (topic) => requireHub().unsubscribe(member, topic),
        isSubscribed: (topic) => hub?.isSubscribed(member, topic) ?? false,
        publish: (topic, data) => requireHub().publishFrom(member, topic, data),
      },
      () => {
        if (state === CLOSED) return 3
        if (state === CONNECTING) return 0
        const raw = init.readyState()
        return closeRequested && raw < 2 ? 2 : raw
      }
    )
  )

  const member: HubMember = {
    ws,
    sendEncoded: (payload) => {
      if (ws.readyState === 1) sendNow(payload, {})
    },
    abort: (reason) => {
      try {
        init.terminate?.()
      } catch {
        // already gone
      }
      conn.close(1006, reason, false)
    },
  }

  const reportError = (error: unknown, where: string): void => {
    const onError = events.onError
    if (!onError) {
      console.error(`[honokit/ws] ${where} threw and no onError handler is set:`, error)
      return
    }
    const logFailure = (e: unknown) =>
      console.error(`[honokit/ws] onError threw while handling an error from ${where}:`, e)
    try {
      const r = onError.call(events, { type: 'error', error, message: describe(error) }, ws)
      if (isThenable(r)) r.then(undefined, logFailure)
    } catch (e) {
      logFailure(e)
    }
  }

  const fail = (error: unknown, where: string): void => {
    failed = true
    reportError(error, where)
    try {
      closeForPolicy(HANDLER_ERROR_CLOSE_CODE, 'Internal Error')
    } catch (e) {
      console.error('[honokit/ws] closing after a handler error failed:', e)
    }
  }

  const run = (where: string, call: () => unknown): Promise<void> | undefined => {
    try {
      const r = call()
      if (isThenable(r)) return Promise.resolve(r).then(noop, (e) => fail(e, where))
    } catch (e) {
      fail(e, where)
    }
    return undefined
  }

  const deliver = (data: string | ArrayBuffer): void => {
    const onMessage = events.onMessage
    if (onMessage && !failed) run('onMessage', () => onMessage.call(events, { type: 'message', data }, ws))
  }

  // The hub and the route count a connection from the moment the runtime accepted it, so capacity checks and a
  // shutdown that race its onOpen still see it.
  hub?.add(member)
  if (init.route) init.route.open++
  if (limits?.heartbeat && init.ping && init.terminate) {
    heartbeat = startHeartbeat(limits.heartbeat, init.ping, init.terminate)
  }

  const open = (): void => {
    if (state !== CONNECTING) return
    state = OPEN
    const onOpen = events.onOpen
    if (onOpen) run('onOpen', () => onOpen.call(events, { type: 'open' }, ws))
    const queued = pending
    pending = undefined
    if (queued) for (const data of queued) if (state === OPEN) deliver(data)
  }

  const conn: WSConnection<T> = {
    ws,
    open,
    message(data) {
      if (state === CLOSED || failed) return
      heartbeat?.alive()
      if (limits && exceeds(data, limits.maxPayload)) {
        closeForPolicy(TOO_BIG_CLOSE_CODE, 'Message too big')
        return
      }
      const payload = typeof data === 'string' ? data : toExactArrayBuffer(data)
      if (state !== CONNECTING) deliver(payload)
      else if (pending) pending.push(payload)
      else pending = [payload]
    },
    close(rawCode, reason, wasClean) {
      if (state === CLOSED) return undefined
      // Deno reports an abrupt drop as code 0 (RUNTIME-NOTES D4); every other runtime says 1006.
      const code = rawCode > 0 ? rawCode : 1006
      const clean = wasClean ?? code !== 1006
      // A socket the runtime accepted always gets the pair onOpen/onClose, so setup in onOpen is always undone.
      if (state === CONNECTING) open()
      state = CLOSED
      heartbeat?.stop()
      hub?.remove(member)
      if (init.route) init.route.open--
      checkDrain()
      const onClose = events.onClose
      if (!onClose) return undefined
      const evt = { type: 'close', code, reason: reason ?? '', wasClean: clean }
      return run('onClose', () => onClose.call(events, evt, ws))
    },
    error(error) {
      if (state !== CLOSED) reportError(error, 'the runtime socket')
    },
    pong() {
      heartbeat?.alive()
    },
    drain() {
      if (drainWaiters) checkDrain()
    },
  }
  return conn
}
