import type { WSCloseCause } from './connection-types.ts'

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

/** Close code sent when a handler throws or rejects: 1011, the server hit an unexpected condition. */
export const HANDLER_ERROR_CLOSE_CODE = 1011
/** Close code for a message larger than `maxPayload`. */
export const TOO_BIG_CLOSE_CODE = 1009
/** Close code for a consumer whose send buffer grew past `maxBufferedAmount`: try again later. */
export const SLOW_CONSUMER_CLOSE_CODE = 1013
/** Close code for a frame that breaks RFC 6455 (and for a peer's Close with a code that may not be sent). */
export const PROTOCOL_ERROR_CLOSE_CODE = 1002
/** Close code for a text message or close reason that is not valid UTF-8. */
export const INVALID_PAYLOAD_CLOSE_CODE = 1007

// What core reports for each cause a runtime reports its own way (see WSCloseCause).
export const CAUSE_CODES: Record<WSCloseCause, number> = {
  'message-too-big': TOO_BIG_CLOSE_CODE,
  'ping-timeout': 1006,
  'protocol-error': PROTOCOL_ERROR_CLOSE_CODE,
  'invalid-payload': INVALID_PAYLOAD_CLOSE_CODE,
}
export const CAUSE_REASONS: Record<WSCloseCause, string> = {
  'message-too-big': 'Message too big',
  'ping-timeout': 'The peer did not answer pings',
  'protocol-error': 'Protocol error',
  'invalid-payload': 'Invalid UTF-8',
}

/**
 * What `onClose` reports for a close the runtime saw (`rawCode`, `reason`, `wasClean` as it reported them): the
 * server's own code and reason when it closed first (`sent`), clean only if the runtime saw the peer's Close and
 * the peer was at no fault; a code that may not be sent as 1002; a runtime's code 0 for a drop as 1006.
 */
export function reportedClose(
  rawCode: number,
  reason: string,
  wasClean: boolean | undefined,
  sent: { code: number; reason: string } | undefined,
  peerFault: boolean
): [code: number, reason: string, wasClean: boolean] {
  // Deno reports an abrupt drop as code 0 (RUNTIME-NOTES D4); every other runtime says 1006.
  const code = rawCode > 0 ? rawCode : 1006
  const clean = wasClean ?? code !== 1006
  // RFC 6455 §7.1.5 lets the peer's answer differ from the server's Close: the server's own is reported.
  if (sent) return [sent.code, sent.reason, clean && code !== 1006 && !peerFault]
  // A peer's Close with a code that may not be sent (999, 1004, 2999, …) is a protocol error, reported as 1002
  // wherever the runtime let it through; 1005 and 1006 are what runtimes report for "no code" and "no Close frame".
  if (!isSendableCloseCode(code) && !(code === 1005 && clean) && !(code === 1006 && !clean))
    return [PROTOCOL_ERROR_CLOSE_CODE, 'Invalid close code', false]
  return [code, reason, clean]
}
