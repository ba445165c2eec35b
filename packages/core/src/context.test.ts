import { setFlagsFromString } from 'node:v8'
import { describe, expect, it, vi } from 'vitest'
import { WSContext } from './context.ts'
import type { WSContextInit, WSReadyState } from './types.ts'

const baseInit = (overrides: Partial<WSContextInit<unknown>> = {}): WSContextInit<unknown> => ({
  send: vi.fn(),
  close: vi.fn(),
  readyState: 1,
  ...overrides,
})

describe('WSContext', () => {
  it('parses the url once into a URL and keeps it', () => {
    let reads = 0
    const init = baseInit()
    Object.defineProperty(init, 'url', {
      get() {
        reads++
        return 'http://localhost:8787/ws?room=a'
      },
    })
    const ws = new WSContext(init)
    const first = ws.url
    expect(first).toBeInstanceOf(URL)
    expect(first?.pathname).toBe('/ws')
    expect(first?.searchParams.get('room')).toBe('a')
    expect(ws.url).toBe(first)
    expect(reads).toBe(1)
  })

  it('is a fast-mode object in V8 (an accessor defined per instance would make each context a dictionary)', () => {
    setFlagsFromString('--allow-natives-syntax')
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean
    const ws = new WSContext(baseInit({ url: 'http://localhost/ws' }))
    expect(hasFastProperties(ws)).toBe(true)
    expect(hasFastProperties(new WSContext(baseInit({ url: null })))).toBe(true)
  })

  it('accepts a URL object as url', () => {
    const ws = new WSContext(baseInit({ url: new URL('https://example.com/socket') }))
    expect(ws.url).toBeInstanceOf(URL)
    expect(ws.url?.href).toBe('https://example.com/socket')
  })

  it('returns null for the url when there is none', () => {
    expect(new WSContext(baseInit()).url).toBeNull()
    expect(new WSContext(baseInit({ url: null })).url).toBeNull()
    expect(new WSContext(baseInit({ url: '' })).url).toBeNull()
  })

  it("defaults protocol to ''", () => {
    expect(new WSContext(baseInit()).protocol).toBe('')
    expect(new WSContext(baseInit({ protocol: null })).protocol).toBe('')
    expect(new WSContext(baseInit({ protocol: 'chat' })).protocol).toBe('chat')
  })

  it('passes raw through by identity', () => {
    const raw = { socket: true }
    expect(new WSContext(baseInit({ raw })).raw).toBe(raw)
    expect(new WSContext(baseInit()).raw).toBeUndefined()
  })

  it("reports binaryType 'arraybuffer'", () => {
    expect(new WSContext(baseInit()).binaryType).toBe('arraybuffer')
  })

  it('reads readyState live from an init with a getter', () => {
    let state: WSReadyState = 0
    const ws = new WSContext({
      send() {},
      close() {},
      get readyState() {
        return state
      },
    })
    expect(ws.readyState).toBe(0)
    state = 1
    expect(ws.readyState).toBe(1)
    state = 3
    expect(ws.readyState).toBe(3)
  })

  it('sends through init.send with empty options by default, only while open', () => {
    let state: WSReadyState = 1
    const send = vi.fn()
    const ws = new WSContext({
      send,
      close() {},
      get readyState() {
        return state
      },
    })
    ws.send('a')
    ws.send(new Uint16Array([1]), { compress: false })
    state = 2
    ws.send('b')
    expect(send).toHaveBeenCalledTimes(2)
    expect(send).toHaveBeenNthCalledWith(1, 'a', {})
    expect(send.mock.calls[1]![0]).toBeInstanceOf(Uint8Array)
    expect(send.mock.calls[1]![0].byteLength).toBe(2)
    expect(send.mock.calls[1]![1]).toEqual({ compress: false })
  })

  it('validates close arguments before calling init.close', () => {
    const close = vi.fn()
    const ws = new WSContext(baseInit({ close }))
    expect(() => ws.close(1006)).toThrow(RangeError)
    expect(close).not.toHaveBeenCalled()
    ws.close(3001, 'done')
    expect(close).toHaveBeenCalledWith(3001, 'done')
  })

  it('sends nothing unless the init reports open, and still rejects a value it cannot send', () => {
    const send = vi.fn()
    for (const readyState of [0, 2, 3] as const) {
      const ws = new WSContext(baseInit({ send, readyState }))
      ws.send('late')
      expect(() => ws.send({} as never)).toThrow(TypeError)
    }
    expect(send).not.toHaveBeenCalled()
    new WSContext(baseInit({ send, readyState: 1 })).send('now')
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('throws for an invalid close code even when already closed', () => {
    const close = vi.fn()
    const ws = new WSContext(baseInit({ close, readyState: 3 }))
    expect(() => ws.close(1005)).toThrow(RangeError)
    ws.close(1000)
    expect(close).not.toHaveBeenCalled()
  })
})

describe('new WSContext(init): the init drives every method', () => {
  it('passes bufferedAmount, drained and pub/sub to the init, with the init as `this`', async () => {
    const calls: string[] = []
    const init = {
      ...baseInit(),
      topics: new Set<string>(),
      bufferedAmount(this: { topics: Set<string> }) {
        return this.topics.size * 10
      },
      drained: async () => void calls.push('drained'),
      subscribe(this: { topics: Set<string> }, topic: string) {
        this.topics.add(topic)
      },
      unsubscribe(this: { topics: Set<string> }, topic: string) {
        this.topics.delete(topic)
      },
      isSubscribed(this: { topics: Set<string> }, topic: string) {
        return this.topics.has(topic)
      },
      publish: (topic: string, data: unknown) => void calls.push(`publish ${topic} ${String(data)}`),
    }
    const ws = new WSContext(init)
    ws.subscribe('news')
    expect(ws.isSubscribed('news')).toBe(true)
    expect(ws.bufferedAmount).toBe(10)
    ws.publish('news', 'hi')
    await ws.drained()
    ws.unsubscribe('news')
    expect(ws.isSubscribed('news')).toBe(false)
    expect(calls).toEqual(['publish news hi', 'drained'])
  })

  it('answers 0, resolved and not subscribed without them, and names what is missing for pub/sub', async () => {
    const ws = new WSContext(baseInit())
    expect(ws.bufferedAmount).toBe(0)
    await expect(ws.drained()).resolves.toBeUndefined()
    expect(ws.isSubscribed('news')).toBe(false)
    expect(() => ws.subscribe('news')).toThrow(/ws\.subscribe\(\) needs pub\/sub/)
    expect(() => ws.publish('news', 'hi')).toThrow(/ws\.publish\(\) needs pub\/sub/)
  })
})

describe('ws.data', () => {
  it('is an empty object of its own per context unless the init gives one', () => {
    const a = new WSContext({ send() {}, close() {}, readyState: 1 })
    const b = new WSContext({ send() {}, close() {}, readyState: 1 })
    a.data.user = 'ann'
    expect(b.data).toEqual({})
    const restored = { user: 'bob' }
    expect(new WSContext({ send() {}, close() {}, readyState: 1, data: restored }).data).toBe(restored)
  })
})
