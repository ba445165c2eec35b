import type { WSHeartbeat } from './options.ts'

/** A running heartbeat: `alive()` when the peer showed life, `stop()` when the connection closed. */
export interface Heartbeat {
  alive(): void
  stop(): void
}

const unref = (timer: unknown) => (timer as { unref?: () => void }).unref?.()

class RunningHeartbeat implements Heartbeat {
  readonly #hb: Required<WSHeartbeat>
  readonly #ping: () => void
  readonly #terminate: () => void
  readonly #interval: ReturnType<typeof setInterval>
  #waiting: ReturnType<typeof setTimeout> | undefined = undefined

  constructor(hb: Required<WSHeartbeat>, ping: () => void, terminate: () => void) {
    this.#hb = hb
    this.#ping = ping
    this.#terminate = terminate
    this.#interval = setInterval(() => this.#beat(), hb.interval)
    unref(this.#interval)
  }

  #beat(): void {
    if (this.#waiting !== undefined) return
    try {
      this.#ping()
    } catch {
      return
    }
    this.#waiting = setTimeout(() => {
      this.stop()
      this.#terminate()
    }, this.#hb.timeout)
    unref(this.#waiting)
  }

  alive(): void {
    if (this.#waiting === undefined) return
    clearTimeout(this.#waiting)
    this.#waiting = undefined
  }

  stop(): void {
    clearInterval(this.#interval)
    this.alive()
  }
}

/**
 * Pings every `interval` ms; when a ping is not answered (by a pong or any message) within `timeout` ms, the peer is
 * gone: `terminate()` drops the connection without a closing handshake, so `onClose` sees 1006. Per connection: one
 * object, one timer and its callback.
 */
export function startHeartbeat(
  hb: Required<WSHeartbeat>,
  ping: () => void,
  terminate: () => void
): Heartbeat {
  return new RunningHeartbeat(hb, ping, terminate)
}
