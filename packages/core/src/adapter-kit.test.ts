// The adapter author's kit: a transport shared by connections, the accepted upgrade (headers, connect), pending
// upgrades for server-owned upgrades, close causes, native-limit rules, buffer ownership and re-entrant close.
import { Hono } from 'hono'
import { describe, expect, it, vi } from 'vitest'
import { connectSocket } from './connect.ts'
import type { WSTransport } from './connection-types.ts'
import { defineWebSocketHelper } from './define-helper.ts'
import { createWebSocketHub } from './hub.ts'
import { nativeBackpressureLimit, nativeMaxPayload } from './native-limits.ts'
import { resolveLimits } from './options.ts'
import { notWiredError, PendingUpgrades } from './pending-upgrades.ts'
import type { WSEvents, WSUpgradeInfo } from './types.ts'

interface FakeSocket {
  sent: (string | Uint8Array)[]
  closed?: [number, string]
  onClose?: () => void
}

const transport: WSTransport<FakeSocket> = {
  send: (raw, data) => {
    raw.sent.push(data)
  },
  close: (raw, code, reason) => {
    raw.closed = [code, reason]
    raw.onClose?.()
  },
}

const upgradeFor = (hub = createWebSocketHub({}, { transport })) => ({
  url: 'http://a.test/ws',
  protocol: '',
  hub,
  limits: resolveLimits(undefined, undefined),
  route: { open: 0 },
})

describe('connectSocket with a shared transport', () => {
  it('tracks readyState itself when the transport has none', () => {
    const raw: FakeSocket = { sent: [] }
    const conn = connectSocket({}, transport, raw, upgradeFor())
    expect(conn.ws.readyState).toBe(0)
    conn.open()
    expect(conn.ws.readyState).toBe(1)
    conn.ws.close(4000, 'bye')
    expect(raw.closed).toEqual([4000, 'bye'])
    expect(conn.ws.readyState).toBe(2)
    conn.closed(4000, 'bye')
    expect(conn.ws.readyState).toBe(3)
  })

  it('tolerates a runtime that runs its close callback inside close() (onClose once)', () => {
    const raw: FakeSocket = { sent: [] }
    const onClose = vi.fn()
    const conn = connectSocket({ onClose }, transport, raw, upgradeFor())
    raw.onClose = () => conn.closed(1000, 'done')
    conn.open()
    conn.ws.close(1000, 'done')
    conn.closed(1000, 'done')
    expect(onClose).toHaveBeenCalledTimes(1)
    expect(onClose.mock.calls[0]![0]).toMatchObject({ code: 1000, reason: 'done' })
  })

  it('copies a transient buffer before message() returns, keeps a whole one by reference otherwise', () => {
    const got: ArrayBuffer[] = []
    const conn = connectSocket(
      { onMessage: (e) => void got.push(e.data as ArrayBuffer) },
      transport,
      {
        sent: [],
      },
      upgradeFor()
    )
    conn.open()
    const reused = new ArrayBuffer(3)
    new Uint8Array(reused).set([1, 2, 3])
    conn.message(reused, true)
    new Uint8Array(reused).set([9, 9, 9])
    expect([...new Uint8Array(got[0]!)]).toEqual([1, 2, 3])
    const kept = new ArrayBuffer(2)
    conn.message(kept)
    expect(got[1]).toBe(kept)
  })

  it('maps the close causes runtimes report their own way to the standard codes, never clean', () => {
    const closes: [number, boolean][] = []
    const events: WSEvents = { onClose: (e) => void closes.push([e.code, e.wasClean]) }
    const causes = ['message-too-big', 'ping-timeout', 'protocol-error', 'invalid-payload'] as const
    for (const cause of causes) {
      const conn = connectSocket(events, transport, { sent: [] }, upgradeFor())
      conn.open()
      conn.closedBy(cause)
    }
    expect(closes).toEqual([
      [1009, false],
      [1006, false],
      [1002, false],
      [1007, false],
    ])
  })

  it("reports the server's own code when the server closed first, clean only after the peer's Close", () => {
    const closes: [number, string, boolean][] = []
    const events: WSEvents = { onClose: (e) => void closes.push([e.code, e.reason, e.wasClean]) }
    const answered = connectSocket(events, transport, { sent: [] }, upgradeFor())
    answered.open()
    answered.ws.close(4000, 'server')
    answered.closed(4001, 'peer', true)
    const dropped = connectSocket(events, transport, { sent: [] }, upgradeFor())
    dropped.open()
    dropped.ws.close(4000, 'server')
    dropped.closed(1006, '', false)
    expect(closes).toEqual([
      [4000, 'server', true],
      [4000, 'server', false],
    ])
  })

  it('reports a peer Close with a code that may not be sent as 1002, not clean', () => {
    const closes: [number, boolean][] = []
    const events: WSEvents = { onClose: (e) => void closes.push([e.code, e.wasClean]) }
    for (const [code, clean] of [
      [999, true],
      [2999, true],
      [1006, true],
      [1005, true],
      [1006, false],
      [4999, true],
    ] as const) {
      const conn = connectSocket(events, transport, { sent: [] }, upgradeFor())
      conn.open()
      conn.closed(code, '', clean)
    }
    expect(closes).toEqual([
      [1002, false],
      [1002, false],
      [1002, false],
      [1005, true],
      [1006, false],
      [4999, true],
    ])
  })

  it('reports a message over maxPayload that core refused as 1009, not clean, even after the peer answered', () => {
    const closes: [number, boolean][] = []
    const upgrade = upgradeFor()
    const conn = connectSocket(
      { onClose: (e) => void closes.push([e.code, e.wasClean]) },
      transport,
      { sent: [] },
      { ...upgrade, limits: { ...upgrade.limits, maxPayload: 4 } }
    )
    conn.open()
    conn.message('too long')
    conn.closed(1009, '', true)
    expect(closes).toEqual([[1009, false]])
  })
})

describe('the accepted upgrade', () => {
  it('hands the adapter the 101 headers (middleware headers, cookies, subprotocol) and connect()', async () => {
    const hub = createWebSocketHub({}, { transport })
    let info: WSUpgradeInfo<FakeSocket> | undefined
    const upgradeWebSocket = defineWebSocketHelper<FakeSocket>((_c, _e, _o, upgrade) => {
      info = upgrade
      return new Response(null, { status: 200 })
    }, hub)
    const app = new Hono()
    app.get(
      '/ws',
      async (c, next) => {
        c.header('X-Before', 'yes')
        c.header('Set-Cookie', 'a=1', { append: true })
        c.header('Set-Cookie', 'b=2', { append: true })
        await next()
      },
      upgradeWebSocket(() => ({}), { protocols: ['chat'] })
    )
    await app.request('/ws', {
      headers: {
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Protocol': 'chat',
      },
    })
    const headers = info!.headers
    expect(headers.get('x-before')).toBe('yes')
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(headers.get('sec-websocket-protocol')).toBe('chat')
    // One Response per upgrade: the one whose headers these are, for an adapter to return (Bun).
    expect(info!.response.headers).toBe(headers)
    expect(info!.response.status).toBe(200)
    const raw: FakeSocket = { sent: [] }
    const conn = info!.connect(raw)
    conn.open()
    conn.ws.send('hi')
    expect(raw.sent).toEqual(['hi'])
    expect(conn.ws.protocol).toBe('chat')
    expect(hub.connections.size).toBe(1)
  })

  it('refuses connect() when the adapter declared no transport, naming the fix', async () => {
    let info: WSUpgradeInfo | undefined
    const upgradeWebSocket = defineWebSocketHelper((_c, _e, _o, upgrade) => {
      info = upgrade
      return new Response(null)
    })
    const app = new Hono()
    app.get(
      '/ws',
      upgradeWebSocket(() => ({}))
    )
    await app.request('/ws', {
      headers: {
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version': '13',
      },
    })
    expect(() => info!.connect({})).toThrow(/createWebSocketHub\(options, \{ transport \}\)/)
  })
})

describe('pending upgrades and wiring errors', () => {
  it('hands an upgrade over once, by the key the runtime gives back', () => {
    const pending = new PendingUpgrades<object, WSUpgradeInfo>()
    const key = {}
    const info = { url: 'x' } as WSUpgradeInfo
    pending.hold(key, info)
    expect(pending.take({})).toBeUndefined()
    expect(pending.take(key)).toBe(info)
    expect(pending.take(key)).toBeUndefined()
  })

  it('names the package and the fix', () => {
    expect(notWiredError('@x/ws', 'pass `websocket` to serve.').message).toBe(
      'upgradeWebSocket() from @x/ws received a WebSocket upgrade request that it cannot complete: pass `websocket` to serve.'
    )
  })
})

describe('native limits', () => {
  const limits = resolveLimits({ maxPayload: 1000, maxBufferedAmount: 1024 }, undefined)
  it("gives a runtime that answers 1009 the helper's limit, and one that drops more room than core's", () => {
    expect(nativeMaxPayload(limits, 'close-1009')).toBe(1000)
    expect(nativeMaxPayload(limits, 'drop')).toBe(1000 + 64 * 1024)
    expect(nativeMaxPayload(resolveLimits({ maxPayload: 1 << 20 }, undefined), 'drop')).toBe(2 << 20)
  })
  it("keeps a runtime's send-buffer limit above maxBufferedAmount", () => {
    expect(nativeBackpressureLimit(limits)).toBe(16 * 1024 * 1024)
    expect(nativeBackpressureLimit(resolveLimits({ maxBufferedAmount: 32 << 20 }, undefined))).toBe(64 << 20)
  })
})

describe('runtime route options', () => {
  it('maps runtime-named options onto the common ones before they are checked', () => {
    const seen: unknown[] = []
    const hub = createWebSocketHub(
      {},
      {
        optionNames: { route: ['protocol'] },
        routeOptions: (o: { protocol?: string } | undefined) =>
          o?.protocol ? { ...o, protocols: [o.protocol] } : o,
      }
    )
    const upgradeWebSocket = defineWebSocketHelper((_c, _e, options) => {
      seen.push(options)
      return new Response(null)
    }, hub)
    expect(() => upgradeWebSocket(() => ({}), { protocol: 'chat' })).not.toThrow()
    expect(() => upgradeWebSocket(() => ({}), { protocl: 'chat' })).toThrow(/Did you mean protocol/)
  })
})

describe('wiring mistakes', () => {
  it('warns once when upgradeWebSocket is registered with another method than GET', async () => {
    const lines: string[] = []
    const hub = createWebSocketHub({ logger: { warn: (m) => lines.push(m), error: (m) => lines.push(m) } })
    const upgradeWebSocket = defineWebSocketHelper(() => new Response(null), hub)
    const app = new Hono()
    app.post(
      '/chat-post',
      upgradeWebSocket(() => ({}))
    )
    app.all(
      '/chat-all',
      upgradeWebSocket(() => ({}))
    )
    await app.request('/chat-post', { method: 'POST' })
    await app.request('/chat-post', { method: 'POST' })
    await app.request('/chat-all', { method: 'POST' })
    expect(lines).toEqual([
      "[honokit/ws] upgradeWebSocket() is registered with app.post('/chat-post'): a WebSocket handshake is always a " +
        "GET request, so this route never upgrades. Register it with app.get('/chat-post', …).",
    ])
  })
})
