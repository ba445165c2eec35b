import type { Context } from 'hono'
import { refusal, type WSRefusal } from './refusal.ts'
import type { WSUpgradeOptions } from './types.ts'

/** True when `value` (a comma-separated header) contains `token`, compared case-insensitively. */
export function hasToken(value: string | null | undefined, token: string): boolean {
  if (!value) return false
  for (const part of value.split(',')) if (part.trim().toLowerCase() === token) return true
  return false
}

/** True when the request asks for a WebSocket: GET with `Upgrade: websocket` and `Connection: upgrade` (any case). */
export function isWebSocketUpgrade(req: Request): boolean {
  return (
    req.method === 'GET' &&
    hasToken(req.headers.get('upgrade'), 'websocket') &&
    hasToken(req.headers.get('connection'), 'upgrade')
  )
}

const KEY = /^[A-Za-z0-9+/]{21}[AQgw]==$/

/** Checks the rest of an upgrade request (RFC 6455 §4.2.1); returns the error response, or nothing when valid. */
export function checkHandshake(req: Request): WSRefusal | undefined {
  const version = req.headers.get('sec-websocket-version')
  if (version?.trim() !== '13') {
    return refusal(
      426,
      'handshake',
      'Unsupported WebSocket version: this server speaks version 13.',
      `the client asked for Sec-WebSocket-Version ${JSON.stringify(version ?? null)}; RFC 6455 clients send 13 ` +
        '(an outdated or hand-written client).',
      { headers: { 'Sec-WebSocket-Version': '13', Upgrade: 'websocket', Connection: 'Upgrade' } }
    )
  }
  const key = req.headers.get('sec-websocket-key')
  if (!KEY.test(key?.trim() ?? '')) {
    return refusal(
      400,
      'handshake',
      'Bad WebSocket handshake: Sec-WebSocket-Key must be 16 bytes in base64.',
      `Sec-WebSocket-Key ${JSON.stringify(key?.slice(0, 40) ?? null)} is not 16 bytes in base64 (a broken client).`
    )
  }
  return undefined
}

/** The answer of the direct form to a request that is not a WebSocket upgrade. */
export function upgradeRequired(): Response {
  return new Response('Upgrade Required: this route only speaks WebSocket.', {
    status: 426,
    headers: { Upgrade: 'websocket', Connection: 'Upgrade' },
  })
}

/** The subprotocols offered in `Sec-WebSocket-Protocol` (all header lines), in the client's order. */
export function offeredProtocols(req: Request): string[] {
  const raw = req.headers.get('sec-websocket-protocol')
  if (!raw) return []
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

/**
 * Chooses the subprotocol for an upgrade: a string (`''` for none) or the `400` refusal when the client offered
 * subprotocols and none is acceptable.
 */
export function selectProtocol(c: Context, options: WSUpgradeOptions | undefined): string | WSRefusal {
  const offered = offeredProtocols(c.req.raw)
  const choice = options?.protocols
  let chosen: string
  if (choice === undefined) chosen = offered[0] ?? ''
  else if (typeof choice === 'function') {
    const picked = choice(offered, c)
    chosen = picked || ''
    if (chosen !== '' && !offered.includes(chosen)) {
      throw new Error(
        `upgradeWebSocket: the protocols function returned '${chosen}', which the client did not offer ` +
          `(offered: ${offered.join(', ') || 'none'}). Return one of the offered values, or false for none.`
      )
    }
  } else chosen = choice.find((p) => offered.includes(p)) ?? ''
  if (chosen === '' && offered.length > 0) {
    const supported = Array.isArray(choice)
      ? (choice as readonly string[]).join(', ') || 'none'
      : 'none of them'
    const text = `the client offered ${offered.join(', ')}; this route accepts ${supported}.`
    return refusal(
      400,
      'subprotocol',
      `No acceptable WebSocket subprotocol: ${text}`,
      `no acceptable subprotocol: ${text} Add one of the offered values to this route's protocols option, ` +
        'or have the client offer one the route accepts.'
    )
  }
  return chosen
}
