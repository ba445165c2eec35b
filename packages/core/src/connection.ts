import { WSContext } from './context.ts'
import { toExactArrayBuffer } from './data.ts'
import type { SendOptions, WSData, WSEvents, WSReadyState } from './types.ts'

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
  /**
   * The runtime reported an error (bad frame, reset): delivered to `onError`; the runtime does the closing. Errors
   * reported after the connection closed (workerd's "Network connection lost") are not delivered.
   */
  error(error: unknown): void
}

const CONNECTING = 0
const OPEN = 1
const CLOSED = 3

/** Close code sent when a handler throws or rejects: 1011, the server hit an unexpected condition. */
export const HANDLER_ERROR_CLOSE_CODE = 1011

const noop = () => {}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'
}

/**
 * Creates the lifecycle of one connection. Guarantees: `onOpen` once and before any `onMessage` (earlier messages
 * are buffered), `onClose` once, the same `WSContext` everywhere, and a throw or rejection in any handler reaches
 * `onError` and closes the connection with 1011 instead of taking the process down.
 */
export function createConnection<T>(events: WSEvents<T>, init: WSConnectionInit<T>): WSConnection<T> {
  let state: typeof CONNECTING | typeof OPEN | typeof CLOSED = init.resumed ? OPEN : CONNECTING
  let pending: (string | ArrayBuffer)[] | undefined
  // Set once a handler failed: the connection is being closed with 1011 and gets no further messages.
  let failed = false
  // Set once a close was asked for (by the app or after a failure): readyState reports CLOSING from then on, even
  // where the runtime updates its own state late or the adapter defers the close; the 1011 is asked for once.
  let closeRequested = false
  const requestClose = (code: number, reason: string): void => {
    closeRequested = true
    init.close(code, reason)
  }

  const ws = new WSContext<T>({
    raw: init.raw,
    url: init.url,
    protocol: init.protocol,
    data: init.data,
    get readyState(): WSReadyState {
      if (state === CLOSED) return 3
      if (state === CONNECTING) return 0
      const raw = init.readyState()
      return closeRequested && raw < 2 ? 2 : raw
    },
    send: (data, options) => init.send(data, options),
    close: requestClose,
  })

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
    if (state === OPEN && !closeRequested && init.readyState() < 2) {
      try {
        requestClose(HANDLER_ERROR_CLOSE_CODE, 'Internal Error')
      } catch (e) {
        console.error('[honokit/ws] closing after a handler error failed:', e)
      }
    }
  }

  const run = (where: 'onOpen' | 'onMessage' | 'onClose', call: () => unknown): Promise<void> | undefined => {
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

  const open = (): void => {
    if (state !== CONNECTING) return
    state = OPEN
    const onOpen = events.onOpen
    if (onOpen) run('onOpen', () => onOpen.call(events, { type: 'open' }, ws))
    const queued = pending
    pending = undefined
    if (queued) for (const data of queued) if (state === OPEN) deliver(data)
  }

  return {
    ws,
    open,
    message(data) {
      if (state === CLOSED) return
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
      const onClose = events.onClose
      if (!onClose) return undefined
      const evt = { type: 'close', code, reason: reason ?? '', wasClean: clean }
      return run('onClose', () => onClose.call(events, evt, ws))
    },
    error(error) {
      if (state !== CLOSED) reportError(error, 'the runtime socket')
    },
  }
}
