import { HB_INDEX, MemberList } from './member-list.ts'
import type { WSHeartbeat } from './options.ts'

/** The field in which a connection keeps its heartbeat time (`HeartbeatMember`). */
export const HB_DUE: unique symbol = Symbol('honokit.hbDue')

/** What the heartbeat needs from a connection: one time and one position it keeps on the connection, two actions. */
export interface HeartbeatMember {
  /**
   * When the next ping is due, or, negated, when the outstanding ping expires; in ms on the heartbeat's clock
   * (`heartbeatNow()`), which starts near 0 so the value stays a small integer (no boxed number per connection in V8).
   */
  [HB_DUE]: number
  /** Its position among the sweep's members (kept by the sweep; -1 when in none). */
  [HB_INDEX]?: number
  /** Sends a ping; false when the socket could not take it (it is closing), so no answer is awaited. */
  hbPing(): boolean
  /** The peer did not answer in time: drop it without a closing handshake (`onClose` sees 1006). */
  hbTerminate(): void
}

const unref = (timer: unknown) => (timer as { unref?: () => void }).unref?.()
const epoch = Date.now()

/** The heartbeat's clock: whole ms since this module loaded (`Math.floor` makes it a small integer in V8, where a
 * plain difference of two `Date.now()` values is a boxed double, and storing one turns the field into a box per
 * connection). */
const heartbeatNow = (): number => Math.floor(Date.now() - epoch)

/**
 * One timer for every connection with the same heartbeat settings, instead of a timer (and its callbacks) per
 * connection (measured on Bun: a timer per connection costs about 0.44 KB of memory each; uWebSockets.js keeps one
 * timer for all its idle timeouts for the same reason). Each tick pings the connections whose ping is due and drops
 * those whose ping went unanswered for `timeout` ms; so a ping goes out every `interval` ms, and a silent peer is
 * dropped `timeout` ms after it, each up to one tick late (a tick is a quarter of the shorter of the two).
 */
export class HeartbeatSweep {
  readonly #members = new MemberList<HeartbeatMember>(HB_INDEX)
  readonly #interval: number
  readonly #timeout: number
  readonly #tick: number
  #timer: ReturnType<typeof setInterval> | undefined = undefined

  constructor(hb: Required<WSHeartbeat>) {
    this.#interval = hb.interval
    this.#timeout = hb.timeout
    this.#tick = Math.max(1, Math.floor(Math.min(hb.interval, hb.timeout) / 4))
  }

  /** Starts the heartbeat of `m`: its first ping is due `interval` ms from now. */
  add(m: HeartbeatMember): void {
    m[HB_DUE] = heartbeatNow() + this.#interval
    this.#members.add(m)
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#tick)
      unref(this.#timer)
    }
  }

  /** The peer of `m` answered (a pong, or any message): the next ping is due `interval` ms after the last one. */
  alive(m: HeartbeatMember): void {
    if (m[HB_DUE] < 0) m[HB_DUE] = -m[HB_DUE] - this.#timeout + this.#interval
  }

  /** Stops the heartbeat of `m` (it closed); the timer stops with the last member. */
  remove(m: HeartbeatMember): void {
    this.#members.delete(m)
    if (this.#members.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }

  #sweep(): void {
    const now = heartbeatNow()
    // A copy: a dropped peer's onClose may close others, which leave the list while this loop runs.
    for (const m of [...this.#members.items]) {
      if (!this.#members.has(m)) continue
      const due = m[HB_DUE]
      if (due < 0) {
        if (now < -due) continue
        this.remove(m)
        m.hbTerminate()
      } else if (now >= due) {
        let sent: boolean
        try {
          sent = m.hbPing()
        } catch {
          sent = false
        }
        m[HB_DUE] = sent ? -(now + this.#timeout) : now + this.#interval
      }
    }
  }
}

const sweeps = new Map<string, HeartbeatSweep>()

/** The shared sweep for these settings (one per distinct `interval`/`timeout` pair in the process). */
export function heartbeatSweep(hb: Required<WSHeartbeat>): HeartbeatSweep {
  const key = `${hb.interval}/${hb.timeout}`
  let sweep = sweeps.get(key)
  if (!sweep) {
    sweep = new HeartbeatSweep(hb)
    sweeps.set(key, sweep)
  }
  return sweep
}
