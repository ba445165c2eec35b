import { normalizeCloseArgs } from './close-code.ts'
import { toSendable } from './data.ts'
import type { SendOptions, WSContextInit, WSData, WSReadyState, WSSendData } from './types.ts'

const NO_OPTIONS: SendOptions = {}

/**
 * One connection as handlers see it: the same object in every handler of a connection, `readyState` live,
 * `url` the request URL, `protocol` the negotiated subprotocol (`''` when none).
 */
export class WSContext<T = unknown> {
  #init: WSContextInit<T>
  #url: URL | null | undefined

  /** The runtime's own socket object (typed per adapter). */
  raw?: T
  /** Kept for `hono/ws` compatibility: binary messages always arrive as `ArrayBuffer`. */
  binaryType: 'arraybuffer' | 'blob' = 'arraybuffer'
  /** The negotiated subprotocol, `''` when none was negotiated. */
  protocol: string
  /**
   * The application's own data for this connection, the same object in every handler; nothing of the library lives
   * here. Type it by augmenting `WSData`: `declare module '@honokit/ws-core' { interface WSData { user: string } }`.
   */
  data: WSData

  constructor(init: WSContextInit<T>) {
    this.#init = init
    this.raw = init.raw
    this.protocol = init.protocol ?? ''
    this.data = init.data ?? {}
  }

  /** The URL of the upgrade request, query included; parsed once, on first access. */
  get url(): URL | null {
    if (this.#url === undefined) {
      const u = this.#init.url
      this.#url = u ? new URL(u) : null
    }
    return this.#url
  }

  /** The live state: 0 connecting, 1 open, 2 closing, 3 closed (already 3 inside `onClose`). */
  get readyState(): WSReadyState {
    return this.#init.readyState
  }

  /** Sends text or exactly the bytes of a binary value; does nothing once the connection is closing or closed. */
  send(data: WSSendData, options?: SendOptions): void {
    const payload = toSendable(data)
    if (this.#init.readyState !== 1) return
    this.#init.send(payload, options ?? NO_OPTIONS)
  }

  /**
   * Starts the closing handshake with `code` (default 1000) and `reason` (at most 123 UTF-8 bytes); throws a
   * `RangeError` for a code that may not be sent or a reason that does not fit. Closing twice is harmless.
   */
  close(code?: number, reason?: string): void {
    const args = normalizeCloseArgs(code, reason)
    const state = this.#init.readyState
    if (state === 2 || state === 3) return
    this.#init.close(args.code, args.reason)
  }
}
