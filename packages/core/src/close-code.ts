const encoder = new TextEncoder()

/** Longest close reason in UTF-8 bytes: a Close frame's payload is at most 125 bytes, 2 of them the code. */
export const MAX_CLOSE_REASON_BYTES = 123

/**
 * Close codes an endpoint may send (RFC 6455 §7.4): 1000-1003 and 1007-1014 are defined, 3000-4999 are for
 * libraries and applications. 1004-1006 and 1015 are reserved and never go on the wire.
 */
export function isSendableCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false
  if (code >= 3000 && code <= 4999) return true
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
}

/** Validates `ws.close(code, reason)` and returns the values to send; throws a `RangeError` that names the fix. */
export function normalizeCloseArgs(code?: number, reason?: string): { code: number; reason: string } {
  const c = code ?? 1000
  if (typeof c !== 'number' || !isSendableCloseCode(c)) {
    throw new RangeError(
      `ws.close(${String(code)}): invalid close code. Use 1000 (normal), another code defined by RFC 6455 ` +
        '(1001-1003, 1007-1014) or an application code from 3000 to 4999; 1004-1006 and 1015 are reserved.'
    )
  }
  const r = reason ?? ''
  if (typeof r !== 'string') {
    throw new TypeError(`ws.close(${c}, reason): the reason must be a string, got ${typeof r}.`)
  }
  const bytes = encoder.encode(r).byteLength
  if (bytes > MAX_CLOSE_REASON_BYTES) {
    throw new RangeError(
      `ws.close(${c}, reason): the reason is ${bytes} bytes of UTF-8; at most ${MAX_CLOSE_REASON_BYTES} fit in a ` +
        'Close frame. Shorten it, or send the details in a message before closing.'
    )
  }
  return { code: c, reason: r }
}
