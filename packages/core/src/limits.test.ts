import { afterEach, describe, expect, it, vi } from 'vitest'
import { SLOW_CONSUMER_CLOSE_CODE, TOO_BIG_CLOSE_CODE } from './close-code.ts'
import { createConnection } from './connect.ts'
import type { RouteCounter, WSConnectionInit } from './connection-types.ts'
import { createWebSocketHub, type WSHub } from './hub.ts'
import { resolveLimits, type WSLimits } from './options.ts'
import type { SendOptions, WSEvents, WSMessageReceive } from './types.ts'

interface Setup {
  limits?: WSLimits
  hub?: WSHub
  route?: RouteCounter
  heartbeat?: boolean
}

/** A connection over a fake runtime socket; `buffered` is the fake send-buffer size, changed by the test. */
function connect(setup: Setup = {}, events: WSEvents<object> = {}) {
  const received: WSMessageReceive[] = []
  const onMessage = vi.fn((evt: { data: WSMessageReceive }) => {
    received.push(evt.data)
  })
  const onDrain = vi.fn()
  const send = vi.fn<(data: string | Uint8Array, options: SendOptions) => void>()
  const close = vi.fn<(code: number, reason: string) => void>()
  const ping = vi.fn()
  const terminate = vi.fn()
  const socket = { buffered: 0 }
  const init: WSConnectionInit<object> = {
    raw: {},
    url: 'http://localhost/ws',
    protocol: '',
    readyState: () => 1,
    send,
    close,
    limits: resolveLimits(undefined, { heartbeat: false, ...setup.limits }),
    bufferedAmount: () => socket.buffered,
  }
  if (setup.hub) init.hub = setup.hub
  if (setup.route) init.route = setup.route
  if (setup.heartbeat) {
    init.ping = ping
    init.terminate = terminate
  }
  const conn = createConnection<object>({ onMessage, onDrain, ...events }, init)
  return { conn, ws: conn.ws, received, onMessage, onDrain, send, close, ping, terminate, socket }
}

/** Whether `p` has settled once pending microtasks ran (works under fake timers). */
async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false
  p.then(
    () => {
      settled = true
    },
    () => {
      settled = true
    }
  )
  for (let i = 0; i < 5; i++) await Promise.resolve()
  return settled
}

afterEach(() => {
  vi.useRealTimers()
})

describe('limits: maxPayload', () => {
  it('does not deliver a message over maxPayload, closes with 1009 and drops later messages', () => {
    const c = connect({ limits: { maxPayload: 4 } })
    c.conn.open()
    c.conn.message('12345')
    expect(c.onMessage).not.toHaveBeenCalled()
    expect(c.close).toHaveBeenCalledTimes(1)
    expect(c.close).toHaveBeenCalledWith(TOO_BIG_CLOSE_CODE, 'Message too big')
    expect(TOO_BIG_CLOSE_CODE).toBe(1009)
    c.conn.message('ok')
    c.conn.message(new Uint8Array(1))
    expect(c.onMessage).not.toHaveBeenCalled()
    expect(c.close).toHaveBeenCalledTimes(1)
  })

  it('reports the connection as closing once it closed for a too-big message', () => {
    const c = connect({ limits: { maxPayload: 4 } })
    c.conn.open()
    c.conn.message('12345')
    expect(c.ws.readyState).toBe(2)
  })

  it('closes for a binary message over maxPayload', () => {
    const c = connect({ limits: { maxPayload: 4 } })
    c.conn.open()
    c.conn.message(new Uint8Array(5))
    expect(c.onMessage).not.toHaveBeenCalled()
    expect(c.close).toHaveBeenCalledWith(1009, 'Message too big')
  })

  it('closes for a multi-byte string over the limit in bytes but not in characters', () => {
    const c = connect({ limits: { maxPayload: 4 } })
    c.conn.open()
    c.conn.message('€€')
    expect(c.onMessage).not.toHaveBeenCalled()
    expect(c.close).toHaveBeenCalledWith(1009, 'Message too big')
  })

  it('closes for an emoji string of fewer characters than the limit', () => {
    const c = connect({ limits: { maxPayload: 7 } })
    c.conn.open()
    c.conn.message('🎉🎉')
    expect(c.close).toHaveBeenCalledWith(1009, 'Message too big')
  })

  it('delivers a message exactly at the limit', () => {
    const c = connect({ limits: { maxPayload: 4 } })
    c.conn.open()
    c.conn.message('abcd')
    c.conn.message('🎉')
    c.conn.message(new Uint8Array([1, 2, 3, 4]))
    expect(c.close).not.toHaveBeenCalled()
    expect(c.received).toHaveLength(3)
    expect(c.received[0]).toBe('abcd')
    expect(c.received[1]).toBe('🎉')
    expect(Array.from(new Uint8Array(c.received[2] as ArrayBuffer))).toEqual([1, 2, 3, 4])
  })

  it('measures a view by its own bytes', () => {
    const c = connect({ limits: { maxPayload: 4 } })
    c.conn.open()
    c.conn.message(new Uint8Array(new ArrayBuffer(64), 8, 4))
    expect(c.close).not.toHaveBeenCalled()
    expect((c.received[0] as ArrayBuffer).byteLength).toBe(4)
  })

  it('closes for a too-big message that arrived before open, once open', () => {
    const c = connect({ limits: { maxPayload: 4 } })
    c.conn.message('12345')
    c.conn.message('fine')
    c.conn.open()
    expect(c.onMessage).not.toHaveBeenCalled()
  })
})

describe('limits: maxBufferedAmount', () => {
  it('closes with 1013 when sending while the send buffer is over maxBufferedAmount', () => {
    const c = connect({ limits: { maxBufferedAmount: 100 } })
    c.conn.open()
    c.socket.buffered = 101
    c.ws.send('x'.repeat(101))
    expect(c.send).toHaveBeenCalledTimes(1)
    expect(c.close).toHaveBeenCalledTimes(1)
    expect(c.close).toHaveBeenCalledWith(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer')
    expect(SLOW_CONSUMER_CLOSE_CODE).toBe(1013)
  })

  it('does not close at exactly maxBufferedAmount', () => {
    const c = connect({ limits: { maxBufferedAmount: 100 } })
    c.conn.open()
    c.socket.buffered = 100
    c.ws.send('x'.repeat(100))
    expect(c.close).not.toHaveBeenCalled()
  })

  it('sends nothing more once closed as a slow consumer', () => {
    const c = connect({ limits: { maxBufferedAmount: 100 } })
    c.conn.open()
    c.socket.buffered = 500
    c.ws.send('x'.repeat(500))
    c.ws.send('y')
    expect(c.send).toHaveBeenCalledTimes(1)
    expect(c.close).toHaveBeenCalledTimes(1)
  })

  it('reads the send buffer only once the bytes sent since the last read may have passed a limit', () => {
    const c = connect({ limits: { drainThreshold: 1000, maxBufferedAmount: 10_000 } })
    const reads = vi.fn(() => 0)
    Object.defineProperty(c.socket, 'buffered', { get: reads })
    c.conn.open()
    // Ten sends of 1 character: at most 10 × (3 + 14) bytes can wait, under the drain threshold.
    for (let i = 0; i < 10; i++) c.ws.send('x')
    expect(reads).not.toHaveBeenCalled()
    // 400 characters more may take the buffer past 1000 bytes: this send reads it (and finds it empty again).
    c.ws.send('x'.repeat(400))
    expect(reads).toHaveBeenCalledTimes(1)
    c.ws.send('x')
    expect(reads).toHaveBeenCalledTimes(1)
    // 9000 bytes at once may pass maxBufferedAmount itself.
    c.ws.send(new Uint8Array(9000))
    expect(reads).toHaveBeenCalledTimes(2)
    expect(c.send).toHaveBeenCalledTimes(13)
  })

  it('still catches a buffer that grew from sends under the threshold each', () => {
    const c = connect({ limits: { drainThreshold: 1000, maxBufferedAmount: 2000 } })
    c.conn.open()
    // The runtime flushes nothing: every send stays in the buffer.
    c.send.mockImplementation((data) => {
      c.socket.buffered += typeof data === 'string' ? data.length : data.byteLength
    })
    for (let i = 0; i < 25; i++) c.ws.send('x'.repeat(100))
    expect(c.close).toHaveBeenCalledWith(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer')
    expect(c.send.mock.calls.length).toBeLessThan(25)
  })

  it('reports the fake buffer through ws.bufferedAmount', () => {
    const c = connect()
    c.socket.buffered = 42
    expect(c.ws.bufferedAmount).toBe(42)
  })
})

describe('limits: drain', () => {
  it('resolves ws.drained() at once under the threshold', async () => {
    const c = connect({ limits: { drainThreshold: 10 } })
    c.conn.open()
    c.socket.buffered = 10
    expect(await isSettled(c.ws.drained())).toBe(true)
    expect(c.onDrain).not.toHaveBeenCalled()
  })

  it('resolves ws.drained() after conn.drain() once the buffer dropped, and fires onDrain once', async () => {
    vi.useFakeTimers()
    const c = connect({ limits: { drainThreshold: 10 } })
    c.conn.open()
    c.socket.buffered = 50
    const drained = c.ws.drained()
    expect(await isSettled(drained)).toBe(false)
    c.conn.drain()
    expect(await isSettled(drained)).toBe(false)
    expect(c.onDrain).not.toHaveBeenCalled()
    c.socket.buffered = 5
    c.conn.drain()
    expect(await isSettled(drained)).toBe(true)
    expect(c.onDrain).toHaveBeenCalledTimes(1)
    c.conn.drain()
    expect(c.onDrain).toHaveBeenCalledTimes(1)
  })

  it('watches again after a drain found by polling, as on runtimes without a drain event (Deno)', async () => {
    vi.useFakeTimers()
    const c = connect({ limits: { drainThreshold: 10 } })
    c.conn.open()
    for (let round = 1; round <= 3; round++) {
      c.socket.buffered = 50
      const drained = c.ws.drained()
      await vi.advanceTimersByTimeAsync(100)
      expect(await isSettled(drained)).toBe(false)
      c.socket.buffered = 0
      await vi.advanceTimersByTimeAsync(30)
      expect(await isSettled(drained)).toBe(true)
      expect(c.onDrain).toHaveBeenCalledTimes(round)
    }
    expect(vi.getTimerCount()).toBe(0)
  })

  it('resolves every waiting ws.drained() on the same drain', async () => {
    vi.useFakeTimers()
    const c = connect({ limits: { drainThreshold: 10 } })
    c.conn.open()
    c.socket.buffered = 50
    const first = c.ws.drained()
    const second = c.ws.drained()
    c.socket.buffered = 0
    c.conn.drain()
    expect(await isSettled(first)).toBe(true)
    expect(await isSettled(second)).toBe(true)
    expect(c.onDrain).toHaveBeenCalledTimes(1)
  })

  it('fires onDrain once after a send went over the threshold and the buffer drained, after drain() returned', async () => {
    vi.useFakeTimers()
    const c = connect({ limits: { drainThreshold: 10 } })
    c.conn.open()
    c.socket.buffered = 50
    c.ws.send('big')
    c.ws.send('bigger')
    c.conn.drain()
    expect(c.onDrain).not.toHaveBeenCalled()
    c.socket.buffered = 0
    c.conn.drain()
    // Never inside the runtime's drain callback (a send there can stall uWebSockets.js): in a microtask.
    expect(c.onDrain).not.toHaveBeenCalled()
    await Promise.resolve()
    expect(c.onDrain).toHaveBeenCalledTimes(1)
    expect(c.onDrain.mock.calls[0]![1]).toBe(c.ws)
    c.conn.drain()
    await Promise.resolve()
    expect(c.onDrain).toHaveBeenCalledTimes(1)
  })

  it('resolves a waiting ws.drained() when the connection closes', async () => {
    vi.useFakeTimers()
    const c = connect({ limits: { drainThreshold: 10 } })
    c.conn.open()
    c.socket.buffered = 50
    const drained = c.ws.drained()
    c.conn.closed(1000, '')
    expect(await isSettled(drained)).toBe(true)
    expect(c.onDrain).not.toHaveBeenCalled()
  })
})

describe('limits: hub and route', () => {
  it('shows the connection in the hub from its creation (before onOpen) and not after close()', () => {
    const hub = createWebSocketHub()
    const c = connect({ hub })
    expect(hub.connections.size).toBe(1)
    c.conn.open()
    expect(hub.connections.size).toBe(1)
    expect([...hub.connections]).toEqual([c.ws])
    c.conn.closed(1000, 'bye')
    expect(hub.connections.size).toBe(0)
    expect([...hub.connections]).toEqual([])
  })

  it('counts the route 0 -> 1 -> 0, from the creation of the connection', () => {
    const route: RouteCounter = { open: 0 }
    expect(route.open).toBe(0)
    const c = connect({ route })
    expect(route.open).toBe(1)
    c.conn.open()
    expect(route.open).toBe(1)
    c.conn.closed(1000, '')
    expect(route.open).toBe(0)
    c.conn.closed(1000, '')
    expect(route.open).toBe(0)
  })

  it('counts open connections of a route', () => {
    const route: RouteCounter = { open: 0 }
    const a = connect({ route })
    const b = connect({ route })
    a.conn.open()
    b.conn.open()
    expect(route.open).toBe(2)
    a.conn.closed(1000, '')
    expect(route.open).toBe(1)
  })

  it('publishes through a real hub from one connection to the other, not itself', () => {
    const hub = createWebSocketHub()
    const a = connect({ hub })
    const b = connect({ hub })
    a.conn.open()
    b.conn.open()
    a.ws.subscribe('room')
    b.ws.subscribe('room')
    expect(a.ws.isSubscribed('room')).toBe(true)
    expect(b.ws.isSubscribed('other')).toBe(false)
    a.ws.publish('room', 'hello')
    expect(a.send).not.toHaveBeenCalled()
    expect(b.send).toHaveBeenCalledTimes(1)
    expect(b.send).toHaveBeenCalledWith('hello', {})
  })

  it('delivers hub.publish to every subscribed connection', () => {
    const hub = createWebSocketHub()
    const a = connect({ hub })
    const b = connect({ hub })
    a.conn.open()
    b.conn.open()
    a.ws.subscribe('room')
    b.ws.subscribe('room')
    hub.publish('room', new Uint8Array([1, 2]))
    expect(Array.from(a.send.mock.calls[0]![0] as Uint8Array)).toEqual([1, 2])
    expect(b.send.mock.calls[0]![0]).toBe(a.send.mock.calls[0]![0])
  })

  it('stops delivery after ws.unsubscribe() and after close', () => {
    const hub = createWebSocketHub()
    const a = connect({ hub })
    const b = connect({ hub })
    const c = connect({ hub })
    for (const x of [a, b, c]) {
      x.conn.open()
      x.ws.subscribe('room')
    }
    b.ws.unsubscribe('room')
    expect(b.ws.isSubscribed('room')).toBe(false)
    c.conn.closed(1000, '')
    a.ws.publish('room', 'x')
    expect(b.send).not.toHaveBeenCalled()
    expect(c.send).not.toHaveBeenCalled()
  })

  it('lets hub.shutdown() close the connection and resolve once it closed', async () => {
    const hub = createWebSocketHub()
    const c = connect({ hub })
    c.conn.open()
    const done = hub.shutdown()
    expect(c.close).toHaveBeenCalledWith(1001, 'Server shutting down')
    expect(await isSettled(done)).toBe(false)
    c.conn.closed(1001, 'Server shutting down')
    expect(await isSettled(done)).toBe(true)
  })

  it('throws on pub/sub without a hub', () => {
    const c = connect()
    c.conn.open()
    expect(() => c.ws.subscribe('room')).toThrow(/needs a helper instance/)
    expect(() => c.ws.publish('room', 'x')).toThrow(/needs a helper instance/)
    expect(c.ws.isSubscribed('room')).toBe(false)
  })
})

describe('limits: heartbeat', () => {
  const heartbeat = { interval: 1000, timeout: 500 }

  it('pings every interval and terminates an unanswered peer', () => {
    vi.useFakeTimers()
    const c = connect({ limits: { heartbeat }, heartbeat: true })
    c.conn.open()
    vi.advanceTimersByTime(999)
    expect(c.ping).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(c.ping).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(499)
    expect(c.terminate).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(c.terminate).toHaveBeenCalledTimes(1)
  })

  it('starts when the runtime accepted the connection, even before onOpen', () => {
    vi.useFakeTimers()
    const c = connect({ limits: { heartbeat }, heartbeat: true })
    vi.advanceTimersByTime(1000)
    expect(c.ping).toHaveBeenCalledTimes(1)
    c.conn.closed(1000, '')
  })

  it('keeps a peer that answers with conn.pong() alive', () => {
    vi.useFakeTimers()
    const c = connect({ limits: { heartbeat }, heartbeat: true })
    c.conn.open()
    vi.advanceTimersByTime(1000)
    expect(c.ping).toHaveBeenCalledTimes(1)
    for (let i = 2; i <= 5; i++) {
      vi.advanceTimersByTime(400)
      c.conn.pong()
      vi.advanceTimersByTime(600)
      expect(c.ping).toHaveBeenCalledTimes(i)
      expect(c.terminate).not.toHaveBeenCalled()
    }
    vi.advanceTimersByTime(400)
    c.conn.pong()
    vi.advanceTimersByTime(599)
    expect(c.terminate).not.toHaveBeenCalled()
    c.conn.closed(1000, '')
  })

  it('keeps a peer that sends a message alive', () => {
    vi.useFakeTimers()
    const c = connect({ limits: { heartbeat }, heartbeat: true })
    c.conn.open()
    vi.advanceTimersByTime(1000)
    c.conn.message('still here')
    vi.advanceTimersByTime(999)
    expect(c.terminate).not.toHaveBeenCalled()
    expect(c.received).toEqual(['still here'])
    c.conn.closed(1000, '')
  })

  it('stops pinging and does not terminate once the connection closed', () => {
    vi.useFakeTimers()
    const c = connect({ limits: { heartbeat }, heartbeat: true })
    c.conn.open()
    vi.advanceTimersByTime(1000)
    expect(c.ping).toHaveBeenCalledTimes(1)
    c.conn.closed(1000, '')
    vi.advanceTimersByTime(10_000)
    expect(c.ping).toHaveBeenCalledTimes(1)
    expect(c.terminate).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('runs no heartbeat when the limit is false', () => {
    vi.useFakeTimers()
    const c = connect({ limits: { heartbeat: false }, heartbeat: true })
    c.conn.open()
    vi.advanceTimersByTime(120_000)
    expect(c.ping).not.toHaveBeenCalled()
    expect(c.terminate).not.toHaveBeenCalled()
  })
})
