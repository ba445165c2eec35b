// The state a connection keeps in `ConnectionBase.#flags` (connection-base.ts), the state only some connections need,
// and the symbols through which `Connection` reaches it.
import type { DrainWatch } from './drain-watch.ts'

export const CONNECTING = 0
export const OPEN = 1
export const CLOSED = 3

// `ConnectionBase.#flags`: the state in the two low bits, then these.
export const STATE = 3
// A handler failed or a message was too big: the connection is closing and gets no further messages.
export const FAILED = 4
// A close was asked for: readyState reports CLOSING from then on, even where the runtime updates its own state late
// or the adapter defers the close; core asks for its own closes once.
export const CLOSE_REQUESTED = 8
// Core failed the connection for the peer's fault (a message over maxPayload): never a clean close.
export const PEER_FAULT = 16
// The bits above: the most bytes the runtime's send buffer can hold now (what `bufferedAmount` read last, plus every
// send since; the buffer only shrinks in between), so that a send reads `bufferedAmount` only when it may have passed
// a limit. Reading it is a native call on Deno: 60 ns against 500 ns for a send (bench/README.md, "Deno fan-out").
// Saturates at BOUND_MAX, from where every send reads.
export const FLAG_BITS = 31
export const BOUND_SHIFT = 5
export const BOUND_MAX = 2 ** 24

/**
 * The bound after sending `data` on top of `bound` bytes: the most bytes it can add is 3 UTF-8 bytes per UTF-16 code
 * unit and a frame header (≤ 14). -1 when the buffer may have passed a limit: `bufferedAmount` must be read.
 */
export function boundAfter(
  bound: number,
  data: string | Uint8Array,
  limits: { drainThreshold: number; maxBufferedAmount: number }
): number {
  const next = bound + (typeof data === 'string' ? data.length * 3 : data.byteLength) + 14
  return next < BOUND_MAX && next <= limits.drainThreshold && next <= limits.maxBufferedAmount ? next : -1
}

/** State only some connections ever need, made on first use so that an idle connection does not carry it. */
export interface Uncommon {
  /** Messages that arrived before `onOpen` ran. */
  pending?: (string | ArrayBuffer)[]
  /** The code and reason of the Close frame this side sent first: onClose reports them, whatever the peer answered. */
  sentClose?: { code: number; reason: string }
  /** Watching the send buffer drain, from when a send passed `drainThreshold` or `ws.drained()` had to wait. */
  drain?: DrainWatch
}

// What `ConnectionBase` (connection-base.ts) gives its subclass `Connection`: keyed by symbols and on the prototype,
// so the application's context neither shows nor reaches them by name, and the state itself stays private.
/** The state bits (get and set). */
export const FLAGS: unique symbol = Symbol('honokit.flags')
/** What every connection of the route shares (`ConnectionPlan`). */
export const PLAN: unique symbol = Symbol('honokit.plan')
/** The application's `WSEvents`. */
export const EVENTS: unique symbol = Symbol('honokit.events')
/** The `Uncommon` state, when it was made. */
export const UNCOMMON: unique symbol = Symbol('honokit.uncommon')
/** Hands one message to onMessage. */
export const DELIVER: unique symbol = Symbol('honokit.deliver')
/** Calls a handler other than onMessage. */
export const RUN: unique symbol = Symbol('honokit.run')
/** Reports an error to onError or the logger. */
export const REPORT: unique symbol = Symbol('honokit.report')
/** Ends a drain watch under way if the buffer has drained. */
export const CHECK_DRAIN: unique symbol = Symbol('honokit.checkDrain')
