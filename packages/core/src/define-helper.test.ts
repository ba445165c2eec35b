import { type Context, Hono } from 'hono'
import { describe, expect, it, vi } from 'vitest'
import { createWSMessageEvent, defineWebSocketHelper } from './define-helper.ts'
import { helperInstance } from './helper-instance.ts'
import { createWebSocketHub } from './hub.ts'
import type { WSEvents, WSUpgradeInfo, WSUpgradeOptions } from './types.ts'

interface Options extends WSUpgradeOptions {
  tag?: string
}

interface AdapterCall {
  c: Context
  events: WSEvents
  options: Options | undefined
  upgrade: WSUpgradeInfo
}

/** A fake adapter: records every call and "upgrades" with a 200 response, or returns nothing when told to. */
function fakeAdapter(upgrades = true) {
  const calls: AdapterCall[] = []
  const upgradeWebSocket = defineWebSocketHelper<unknown, Options>(
    (c, events, options, upgrade) => {
      calls.push({ c, events, options, upgrade })
      if (!upgrades) return undefined
      return new Response('upgraded', { status: 200, headers: { 'x-upgraded': '1' } })
    },
    createWebSocketHub({}, { optionNames: { route: ['tag'] } })
  )
  return { upgradeWebSocket, calls }
}

const UPGRADE_HEADERS = {
  Upgrade: 'websocket',
  Connection: 'Upgrade',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
}

const withErrorHandler = (app: Hono) => {
  app.onError((err) => new Response(`onError: ${err.message}`, { status: 500 }))
  return app
}

/** An app with the middleware form on /ws, followed by a handler that answers 'next'. */
function middlewareApp(
  createEvents: (c: Context) => WSEvents | Promise<WSEvents>,
  options?: Options,
  upgrades = true
) {
  const adapter = fakeAdapter(upgrades)
  const app = withErrorHandler(new Hono())
  app.on(['GET', 'POST'], '/ws', adapter.upgradeWebSocket(createEvents, options), (c) => c.text('next'))
  return { app, ...adapter }
}

/** An app with the direct form on /ws. */
function directApp(events: WSEvents, options?: Options, upgrades = true) {
  const adapter = fakeAdapter(upgrades)
  const app = withErrorHandler(new Hono())
  app.get('/ws', (c) => adapter.upgradeWebSocket(c, events, options))
  return { app, ...adapter }
}

describe('defineWebSocketHelper: middleware form', () => {
  it('returns a promise, as Hono types a middleware, also when the upgrade ran synchronously', async () => {
    const { upgradeWebSocket, calls } = fakeAdapter()
    const middleware = upgradeWebSocket(() => ({}))
    const app = new Hono()
    let returned: unknown
    app.get('/ws', async (c, next) => {
      returned = middleware(c, next)
      return (await returned) as Response
    })
    const res = await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(res.status).toBe(200)
    expect(calls).toHaveLength(1)
    expect(returned).toBeInstanceOf(Promise)
  })

  it('calls next() for a plain GET and never calls createEvents', async () => {
    const createEvents = vi.fn(() => ({}))
    const { app, calls } = middlewareApp(createEvents)
    const res = await app.request('/ws')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('next')
    expect(createEvents).not.toHaveBeenCalled()
    expect(calls).toHaveLength(0)
  })

  it('calls next() for a POST with upgrade headers', async () => {
    const createEvents = vi.fn(() => ({}))
    const { app, calls } = middlewareApp(createEvents)
    const res = await app.request('/ws', { method: 'POST', headers: UPGRADE_HEADERS })
    expect(await res.text()).toBe('next')
    expect(createEvents).not.toHaveBeenCalled()
    expect(calls).toHaveLength(0)
  })

  it('calls createEvents once and the adapter with the events, the options and { protocol, url }', async () => {
    const events: WSEvents = { onOpen() {} }
    const options: Options = { tag: 'opts' }
    const createEvents = vi.fn((_c: Context) => events)
    const { app, calls } = middlewareApp(createEvents, options)
    const res = await app.request('/ws?room=1', { headers: UPGRADE_HEADERS })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-upgraded')).toBe('1')
    expect(await res.text()).toBe('upgraded')
    expect(createEvents).toHaveBeenCalledTimes(1)
    expect(calls).toHaveLength(1)
    const call = calls[0]!
    expect(call.events).toBe(events)
    expect(call.options).toBe(options)
    expect(call.upgrade).toMatchObject({
      protocol: '',
      url: 'http://localhost/ws?room=1',
      route: { open: 0 },
    })
    expect(call.upgrade.limits).toMatchObject({ maxPayload: 1024 * 1024, allowedOrigins: 'same-origin' })
    expect(createEvents.mock.calls[0]![0]).toBe(call.c)
  })

  it('passes undefined options when none are given', async () => {
    const { app, calls } = middlewareApp(() => ({}))
    await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.options).toBeUndefined()
  })

  it('passes the negotiated subprotocol to the adapter', async () => {
    const { app, calls } = middlewareApp(() => ({}), { protocols: ['json', 'chat'] })
    await app.request('/ws', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Protocol': 'chat, json' } })
    expect(calls[0]!.upgrade.protocol).toBe('json')
  })

  it('accepts mixed-case upgrade headers', async () => {
    const createEvents = vi.fn(() => ({}))
    const { app, calls } = middlewareApp(createEvents)
    const res = await app.request('/ws', {
      headers: {
        UPGRADE: 'WebSocket',
        connection: 'keep-alive, UPGRADE',
        'SEC-WEBSOCKET-KEY': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13',
      },
    })
    expect(await res.text()).toBe('upgraded')
    expect(createEvents).toHaveBeenCalledTimes(1)
    expect(calls).toHaveLength(1)
  })

  it('awaits an async createEvents', async () => {
    const events: WSEvents = { onMessage() {} }
    const { app, calls } = middlewareApp(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return events
    })
    const res = await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(await res.text()).toBe('upgraded')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.events).toBe(events)
  })

  it('sends a createEvents throw to app.onError', async () => {
    const { app, calls } = middlewareApp(() => {
      throw new Error('createEvents failed')
    })
    const res = await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('onError: createEvents failed')
    expect(calls).toHaveLength(0)
  })

  it('sends a createEvents rejection to app.onError', async () => {
    const { app, calls } = middlewareApp(async () => Promise.reject(new Error('async createEvents failed')))
    const res = await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('onError: async createEvents failed')
    expect(calls).toHaveLength(0)
  })

  it('falls through to next() when the adapter returns undefined', async () => {
    const createEvents = vi.fn(() => ({}))
    const { app, calls } = middlewareApp(createEvents, undefined, false)
    const res = await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('next')
    expect(calls).toHaveLength(1)
  })

  it('refuses a bad key with 400 without calling createEvents or the adapter', async () => {
    const createEvents = vi.fn(() => ({}))
    const { app, calls } = middlewareApp(createEvents)
    const res = await app.request('/ws', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Key': 'short==' } })
    expect(res.status).toBe(400)
    expect(createEvents).not.toHaveBeenCalled()
    expect(calls).toHaveLength(0)
  })

  it('refuses version 8 with 426 and Sec-WebSocket-Version: 13', async () => {
    const createEvents = vi.fn(() => ({}))
    const { app, calls } = middlewareApp(createEvents)
    const res = await app.request('/ws', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Version': '8' } })
    expect(res.status).toBe(426)
    expect(res.headers.get('Sec-WebSocket-Version')).toBe('13')
    expect(createEvents).not.toHaveBeenCalled()
    expect(calls).toHaveLength(0)
  })

  it('refuses with 400 when no offered subprotocol is acceptable, without calling createEvents', async () => {
    const createEvents = vi.fn(() => ({}))
    const { app, calls } = middlewareApp(createEvents, { protocols: ['chat'] })
    const res = await app.request('/ws', {
      headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Protocol': 'mqtt' },
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('mqtt')
    expect(createEvents).not.toHaveBeenCalled()
    expect(calls).toHaveLength(0)
  })
})

describe('defineWebSocketHelper: option names', () => {
  it('refuses a route option no one reads, naming the nearest valid one', () => {
    const { upgradeWebSocket } = fakeAdapter()
    expect(() => upgradeWebSocket(() => ({}), { maxPayloadLength: 5 } as Options)).toThrow(
      /unknown option 'maxPayloadLength'\. Did you mean maxPayload \(bytes\)\?/
    )
    expect(() => upgradeWebSocket(() => ({}), { allowedOrigin: ['https://a.example'] } as Options)).toThrow(
      /Did you mean allowedOrigins\?/
    )
  })

  it("accepts the adapter's own route options it declared", () => {
    const { upgradeWebSocket } = fakeAdapter()
    expect(() => upgradeWebSocket(() => ({}), { tag: 'x', protocols: ['a'] })).not.toThrow()
  })
})

describe('defineWebSocketHelper: direct form', () => {
  it('answers a plain GET with 426 and Upgrade: websocket', async () => {
    const { app, calls } = directApp({})
    const res = await app.request('/ws')
    expect(res.status).toBe(426)
    expect(res.headers.get('Upgrade')).toBe('websocket')
    expect(calls).toHaveLength(0)
  })

  it("returns the adapter's response for a valid upgrade", async () => {
    const events: WSEvents = { onClose() {} }
    const options: Options = { tag: 'direct' }
    const { app, calls } = directApp(events, options)
    const res = await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-upgraded')).toBe('1')
    expect(await res.text()).toBe('upgraded')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.events).toBe(events)
    expect(calls[0]!.options).toBe(options)
    expect(calls[0]!.upgrade).toMatchObject({ protocol: '', url: 'http://localhost/ws' })
  })

  it('throws an Error to app.onError when the adapter returns undefined', async () => {
    const { app, calls } = directApp({}, undefined, false)
    const res = await app.request('/ws', { headers: UPGRADE_HEADERS })
    expect(res.status).toBe(500)
    expect(await res.text()).toMatch(/^onError: upgradeWebSocket: .*could not upgrade/)
    expect(calls).toHaveLength(1)
  })

  it('refuses a bad key with 400 without calling the adapter', async () => {
    const { app, calls } = directApp({})
    const res = await app.request('/ws', {
      headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZR==' },
    })
    expect(res.status).toBe(400)
    expect(calls).toHaveLength(0)
  })

  it('refuses version 8 with 426 without calling the adapter', async () => {
    const { app, calls } = directApp({})
    const res = await app.request('/ws', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Version': '8' } })
    expect(res.status).toBe(426)
    expect(res.headers.get('Sec-WebSocket-Version')).toBe('13')
    expect(calls).toHaveLength(0)
  })

  it('answers a POST with upgrade headers with 426', async () => {
    const adapter = fakeAdapter()
    const app = new Hono()
    app.post('/ws', (c) => adapter.upgradeWebSocket(c, {}))
    const res = await app.request('/ws', { method: 'POST', headers: UPGRADE_HEADERS })
    expect(res.status).toBe(426)
    expect(adapter.calls).toHaveLength(0)
  })
})

describe('createWSMessageEvent', () => {
  it("returns { type: 'message', data }", () => {
    const data = new ArrayBuffer(2)
    const evt = createWSMessageEvent(data)
    expect(evt).toEqual({ type: 'message', data })
    expect(evt.data).toBe(data)
    expect(createWSMessageEvent('text')).toEqual({ type: 'message', data: 'text' })
  })
})

describe('route limits against the helper', () => {
  it('refuses a route maxPayload above the helper, naming where to raise it; lower and equal pass', () => {
    const upgradeWebSocket = defineWebSocketHelper(
      () => new Response(null),
      createWebSocketHub({ maxPayload: 4096 })
    )
    expect(() => upgradeWebSocket(() => ({}), { maxPayload: 4097 })).toThrow(
      /maxPayload 4097 on a route is above its helper's 4096: a route may only lower it/
    )
    expect(() => upgradeWebSocket(() => ({}), { maxPayload: 4096 })).not.toThrow()
    expect(() => upgradeWebSocket(() => ({}), { maxPayload: 10 })).not.toThrow()
  })

  it('measures a route against the 1 MiB default when the helper sets none', () => {
    const upgradeWebSocket = defineWebSocketHelper(() => new Response(null))
    expect(() => upgradeWebSocket(() => ({}), { maxPayload: 1024 * 1024 + 1 })).toThrow(RangeError)
  })
})

describe('helperInstance', () => {
  it('exposes the hub: the live view, publish and shutdown', async () => {
    const hub = createWebSocketHub()
    const instance = helperInstance(hub)
    expect(instance.connections).toBe(hub.connections)
    const delivered: unknown[] = []
    const member = {
      ws: { close() {} } as never,
      sendEncoded: (p: unknown) => void delivered.push(p),
      abort() {},
    }
    hub.add(member)
    hub.subscribe(member, 'news')
    instance.publish('news', 'hello')
    expect(delivered).toEqual(['hello'])
    hub.remove(member)
    await instance.shutdown()
    expect(hub.closing).toBe(true)
  })
})
