import {
  isSendableCloseCode,
  type WSCloseCause,
  type WSReadyState,
  type WSTransport,
} from '@honokit/ws-core/adapter'

/** The parts of workerd's server-side `WebSocket` this package uses and exposes as `ws.raw`, typed structurally. */
export interface CloudflareWebSocketLike {
  readonly readyState: number
  binaryType?: string
  accept?(): void
  send(data: string | ArrayBuffer | ArrayBufferView): void
  close(code?: number, reason?: string): void
  addEventListener(type: string, listener: (event: any) => void): void
  serializeAttachment?(value: unknown): void
  deserializeAttachment?(): unknown
}

/** The parts of a Durable Object's `ctx` (`DurableObjectState`) that the hibernation helper uses. */
export interface DurableObjectStateLike {
  acceptWebSocket(ws: CloudflareWebSocketLike, tags?: string[]): void
  getWebSockets(tag?: string): CloudflareWebSocketLike[]
  getTags?(ws: CloudflareWebSocketLike): string[]
  setWebSocketAutoResponse?(pair?: unknown): void
}

/** Creates a `[client, server]` pair with workerd's `WebSocketPair`; throws a clear error elsewhere. */
export function createPair(): [CloudflareWebSocketLike, CloudflareWebSocketLike] {
  const Pair = (globalThis as { WebSocketPair?: new () => Record<0 | 1, CloudflareWebSocketLike> })
    .WebSocketPair
  if (typeof Pair !== 'function') {
    throw new Error(
      '@honokit/ws-cloudflare runs on Cloudflare Workers (workerd): `WebSocketPair` is missing in this runtime. ' +
        'Use the adapter for your runtime (@honokit/ws-node, -bun, -deno) instead.'
    )
  }
  const pair = new Pair()
  return [pair[0], pair[1]]
}

/**
 * The 101 response that hands the client half to workerd. workerd negotiates permessage-deflate by itself whenever a
 * client offers it, unless the 101 names the extensions: a value without permessage-deflate declines it (workerd then
 * sends no Sec-WebSocket-Extensions), so `perMessageDeflate: false` means the same as on every runtime.
 */
export function switchingProtocols(
  client: CloudflareWebSocketLike,
  headers: Headers,
  perMessageDeflate: boolean
): Response {
  if (!perMessageDeflate) headers.set('Sec-WebSocket-Extensions', 'identity')
  return new Response(null, { status: 101, webSocket: client, headers } as ResponseInit)
}

/**
 * Answers a client's Close frame. workerd leaves that to the Worker for hibernatable sockets and before compatibility
 * date 2026-04-07 (RUNTIME-NOTES W12, W14): without it the client hangs until its own timeout. A drop (1006, not
 * clean) gets no answer; 1005 ("no code") is answered with a bare close, since workerd refuses to send 1005; a code
 * that may not be sent (999, 1006 in a Close frame, 2999, …) is a protocol error, answered with 1002 and never echoed.
 */
export function answerClose(
  ws: CloudflareWebSocketLike,
  code: number,
  reason: string,
  wasClean = true
): void {
  if ((code === 1006 && !wasClean) || ws.readyState === 3) return
  try {
    if (code === 1005) ws.close()
    else if (!isSendableCloseCode(code)) ws.close(1002, 'Invalid close code')
    else ws.close(code, reason)
  } catch {
    // Already answered by workerd itself (compatibility date 2026-04-07 or later).
  }
}

/**
 * The close code of an error workerd reports after it failed a connection for a bad frame ("WebSocket protocol
 * error; protocolError.statusCode = 1002; …"). It sent that Close to the client and fires no `close` event
 * (RUNTIME-NOTES W15, issue 12), so the adapter reports the close itself.
 */
export function failureOf(error: unknown): WSCloseCause | undefined {
  const text = error instanceof Error ? error.message : String(error)
  const code = /protocolError\.statusCode = (\d+)/.exec(text)?.[1]
  if (code === undefined) return undefined
  if (code === '1009') return 'message-too-big'
  return code === '1007' ? 'invalid-payload' : 'protocol-error'
}

// workerd writes a binary message from the caller's memory after send() has returned: a view is copied, so the bytes
// sent are those it held when ws.send() was called, however the app fills it next (conformance MS16).
const owned = (data: string | Uint8Array) => (typeof data === 'string' ? data : data.slice())

/** How core drives workerd's `WebSocket` (in a Worker and in a Durable Object), shared by every connection. */
export const transport: WSTransport<CloudflareWebSocketLike> = {
  send: (ws, data) => ws.send(owned(data)),
  close: (ws, code, reason) => ws.close(code, reason),
  readyState: (ws) => ws.readyState as WSReadyState,
  // A publish is copied once for all its subscribers.
  frame: owned,
  sendFrame: (ws, frame) => ws.send(frame as string | Uint8Array),
}
