import type { WSHeartbeat } from './options.ts'

/** A running heartbeat: `alive()` when the peer showed life, `stop()` when the connection closed. */
export interface Heartbeat {
  alive(): void
  stop(): void
}

const unref = (timer: unknown) => (timer as { unref?: () => void }).unref?.()

/**
 * Pings every `interval` ms; when a ping is not answered (by a pong or any message) within `timeout` ms, the peer is
 * gone: `terminate()` drops the connection without a closing handshake, so `onClose` sees 1006.
 */
export function startHeartbeat(
  hb: Required<WSHeartbeat>,
  ping: () => void,
  terminate: () => void
): Heartbeat {
  let waiting: ReturnType<typeof setTimeout> | undefined
  const alive = () => {
    if (waiting === undefined) return
    clearTimeout(waiting)
    waiting = undefined
  }
  const interval = setInterval(() => {
    if (waiting !== undefined) return
    try {
      ping()
    } catch {
      return
    }
    waiting = setTimeout(() => {
      stop()
      terminate()
    }, hb.timeout)
    unref(waiting)
  }, hb.interval)
  unref(interval)
  const stop = () => {
    clearInterval(interval)
    alive()
  }
  return { alive, stop }
}
