import {
  createConnection,
  defineWebSocketHelper,
  handshakeHeaders,
  type UpgradeWebSocket,
  type WSReadyState,
  type WSUpgradeOptions,
} from '@honokit/ws-core'
import type { DenoLike, DenoNativeUpgradeOptions, DenoWebSocketLike } from './deno-like.ts'

/**
 * Options of `upgradeWebSocket` on Deno: the common `protocols`, Deno's `idleTimeout` (seconds), and `protocol`
 * as `hono/deno` took it (a single subprotocol, the same as `protocols: [protocol]`).
 */
export interface DenoUpgradeOptions extends WSUpgradeOptions, DenoNativeUpgradeOptions {
  protocol?: string
}

const NOT_DENO =
  'upgradeWebSocket() from @honokit/ws-deno runs only on Deno: `Deno.upgradeWebSocket` is missing.'

/**
 * `upgradeWebSocket` for Deno, on `Deno.upgradeWebSocket`.
 * @example
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * Deno.serve(app.fetch)
 */
export const upgradeWebSocket: UpgradeWebSocket<DenoWebSocketLike, DenoUpgradeOptions> = withProtocolAlias(
  defineWebSocketHelper<DenoWebSocketLike, DenoUpgradeOptions>((c, events, options, { protocol, url }) => {
    const deno = (globalThis as unknown as { Deno?: DenoLike }).Deno
    if (typeof deno?.upgradeWebSocket !== 'function') throw new Error(NOT_DENO)
    // No `protocol` option here: Deno splits the offer only on ", " and throws for the `a,b` that many clients
    // send; core has chosen already, so the header is set directly (RUNTIME-NOTES D2).
    const { response, socket } = deno.upgradeWebSocket(c.req.raw, { idleTimeout: options?.idleTimeout })
    // Deno's 101 headers are mutable (RUNTIME-NOTES D1): add what middleware set, and the subprotocol.
    const headers = handshakeHeaders(c.res.headers, protocol)
    headers.forEach((value, name) => {
      if (name !== 'set-cookie') response.headers.set(name, value)
    })
    for (const cookie of headers.getSetCookie()) response.headers.append('set-cookie', cookie)
    socket.binaryType = 'arraybuffer'
    const conn = createConnection(events, {
      raw: socket,
      url,
      protocol,
      readyState: () => socket.readyState as WSReadyState,
      send: (data) => socket.send(data),
      // Deno drops the connection without its Close frame when close() runs while more client frames are already
      // buffered (seen: 20 of 20 bursts of 5 frames to a handler that closes); closing one task later lets those
      // frames be dispatched first (core ignores them after a close), and the Close frame then goes out.
      close: (code, reason) => setTimeout(() => socket.close(code, reason), 0),
    })
    // Deno does not queue events for late listeners (RUNTIME-NOTES D3): attach before returning the response.
    socket.addEventListener('open', () => conn.open())
    socket.addEventListener('message', (e: { data: string | ArrayBuffer }) => conn.message(e.data))
    socket.addEventListener('close', (e: { code: number; reason: string; wasClean: boolean }) =>
      conn.close(e.code, e.reason, e.wasClean)
    )
    socket.addEventListener('error', (e: { error?: unknown; message?: string }) =>
      conn.error(e.error ?? new Error(e.message ?? 'WebSocket error'))
    )
    return response
  })
)

/** Maps `hono/deno`'s `protocol` option onto the common `protocols`, so existing options keep working. */
function withProtocolAlias(
  helper: UpgradeWebSocket<DenoWebSocketLike, DenoUpgradeOptions>
): UpgradeWebSocket<DenoWebSocketLike, DenoUpgradeOptions> {
  const normalize = (o?: DenoUpgradeOptions) =>
    o?.protocol !== undefined && o.protocols === undefined ? { ...o, protocols: [o.protocol] } : o
  return ((...args: unknown[]) =>
    typeof args[0] === 'function'
      ? (helper as any)(args[0], normalize(args[1] as DenoUpgradeOptions | undefined))
      : (helper as any)(
          args[0],
          args[1],
          normalize(args[2] as DenoUpgradeOptions | undefined)
        )) as UpgradeWebSocket<DenoWebSocketLike, DenoUpgradeOptions>
}
