import type { ResolvedLimits } from './options.ts'

/** What a runtime does with a message over its own payload limit. */
export type NativeOversize = 'close-1009' | 'drop'

/**
 * The payload limit to give a runtime that enforces one while reading (Node's `ws` `maxPayload`, Bun's
 * `maxPayloadLength`, uWebSockets.js' `maxPayloadLength`), from the helper's resolved limits. The rule:
 * - `'close-1009'`: past its limit the runtime sends Close 1009 (Node `ws`, Bun; RUNTIME-NOTES B8): it gets exactly
 *   the helper's `maxPayload`, so an oversized message is never buffered whole; report its close with
 *   `conn.closedBy('message-too-big')` where it reports something else (Bun: 1006).
 * - `'drop'`: past its limit the runtime drops the connection without a Close frame (uWebSockets.js): its limit must
 *   not be reached first, so it gets twice the helper's (at least 64 KiB more); core sees the oversized message and
 *   closes with 1009 itself. Beyond that the runtime drops it.
 * A runtime without a native limit needs nothing: core checks every message against the route's `maxPayload`.
 * Routes may only lower the helper's `maxPayload`, so the helper's value bounds every route.
 */
export function nativeMaxPayload(limits: ResolvedLimits, oversize: NativeOversize): number {
  if (oversize === 'close-1009') return limits.maxPayload
  return Math.max(limits.maxPayload * 2, limits.maxPayload + 64 * 1024)
}

/**
 * The send-buffer limit to give a runtime that drops messages or connections past its own (Bun's
 * `backpressureLimit`, 16 MiB by default): above `maxBufferedAmount`, so core closes a slow consumer with 1013 first
 * and nothing is dropped silently.
 */
export function nativeBackpressureLimit(limits: ResolvedLimits): number {
  return Math.max(limits.maxBufferedAmount * 2, 16 * 1024 * 1024)
}
