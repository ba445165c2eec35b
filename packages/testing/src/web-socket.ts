import type { MemorySocket } from './pair.ts'
import { type ConnectOptions, type FetchApp, openConnection } from './upgrade.ts'

type Handler = ((event: any) => void) | null

/** An `Event` with extra fields (Node 20 has no `CloseEvent`; a plain `Event` with the fields works everywhere). */
function event<T extends object>(type: string, fields: T): Event & T {
  return Object.assign(new Event(type), fields)
}

/**
 * A browser-style `WebSocket` connected in-process to a Hono app: the object `hc`'s `$ws()` returns when it is
 * given `webSocketFactory(app)`. Events `open`, `message` (`data` a string, a `Blob` or an `ArrayBuffer` per
 * `binaryType`), `error` and `close` (`code`, `reason`, `wasClean`), as a browser dispatches them.
 */
export class InProcessWebSocket extends EventTarget {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  readonly CONNECTING = 0
  readonly OPEN = 1
  readonly CLOSING = 2
  readonly CLOSED = 3
  readonly url: string
  protocol = ''
  readonly extensions = ''
  binaryType: 'blob' | 'arraybuffer' = 'blob'
  onopen: Handler = null
  onmessage: Handler = null
  onerror: Handler = null
  onclose: Handler = null
  #socket: MemorySocket | undefined
  #state = 0
  #closeAsked: [number | undefined, string | undefined] | undefined

  constructor(app: FetchApp, url: string | URL, protocols?: string | string[], options: ConnectOptions = {}) {
    super()
    this.url = String(url)
    openConnection(app, this.url, { ...options, protocols: protocols ?? options.protocols }).then(
      (opened) => {
        this.#socket = opened.socket
        this.protocol = opened.protocol
        opened.socket.events = {
          message: (data) =>
            this.#emit(
              'message',
              event('message', {
                data: typeof data === 'string' || this.binaryType === 'arraybuffer' ? data : new Blob([data]),
              })
            ),
          close: (code, reason, wasClean) => {
            this.#state = 3
            this.#emit('close', event('close', { code, reason, wasClean }))
          },
        }
        this.#state = 1
        this.#emit('open', new Event('open'))
        if (this.#closeAsked) this.close(...this.#closeAsked)
      },
      (error: unknown) => {
        // As a browser does for a failed handshake: an error event, then a close with 1006.
        this.#state = 3
        this.#emit(
          'error',
          event('error', { error, message: error instanceof Error ? error.message : String(error) })
        )
        this.#emit('close', event('close', { code: 1006, reason: '', wasClean: false }))
      }
    )
  }

  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  get readyState(): number {
    return this.#socket && this.#state === 1 ? this.#socket.readyState : this.#state
  }

  /** Bytes sent and not read by the server yet. */
  get bufferedAmount(): number {
    return this.#socket?.bufferedAmount ?? 0
  }

  /** Sends text, a `Blob`, an `ArrayBuffer` or a view, as a browser's `send`. */
  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (this.#state === 0) throw new Error("InvalidStateError: send() before the 'open' event")
    const socket = this.#socket
    if (!socket) return
    if (typeof Blob !== 'undefined' && data instanceof Blob) {
      // A browser sends a Blob in order after reading it; reading is asynchronous, so later sends wait too.
      void data.arrayBuffer().then((bytes) => socket.send(bytes))
      return
    }
    socket.send(data as string | ArrayBuffer | ArrayBufferView)
  }

  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void {
    if (this.#state === 0) {
      this.#closeAsked = [code, reason]
      return
    }
    this.#socket?.close(code, reason)
  }

  #emit(type: string, e: Event): void {
    this.dispatchEvent(e)
    ;(this as unknown as Record<string, Handler>)[`on${type}`]?.call(this, e)
  }
}

/**
 * A `WebSocket` factory for Hono's typed clients: pass it as the `webSocket` option of `hc` or `testClient`, and
 * `$ws()` connects to the app in-process, with the route's types kept.
 * @example
 * const client = testClient(app, undefined, undefined, { webSocket: webSocketFactory(app) })
 * const ws = client.ws.$ws({ query: { room: 'a' } })
 * ws.addEventListener('message', (e) => console.log(e.data))
 */
export function webSocketFactory(
  app: FetchApp,
  options: ConnectOptions = {}
): (url: string | URL, protocols?: string | string[]) => WebSocket {
  return (url, protocols) => new InProcessWebSocket(app, url, protocols, options) as unknown as WebSocket
}
