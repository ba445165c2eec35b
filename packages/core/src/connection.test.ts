import { setFlagsFromString } from 'node:v8'
import { WSContext as HonoWSContext } from 'hono/ws'
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest'
import { HANDLER_ERROR_CLOSE_CODE } from './close-code.ts'
import { createConnection } from './connect.ts'
import type { WSConnectionInit } from './connection-types.ts'
import { WSContext } from './context.ts'
import { createWebSocketHub } from './hub.ts'
import { resolveLimits } from './options.ts'
import type { SendOptions, WSCloseEvent, WSErrorEvent, WSEvents, WSReadyState } from './types.ts'

interface RawSocket {
  id: string
}

/** A fake runtime socket: records what core sends and closes; `close` moves it to CLOSING, as runtimes do. */
function fakeSocket(initial: WSReadyState = 1) {
  let state: WSReadyState = initial
  const sent: { data: string | Uint8Array; options: SendOptions }[] = []
  const closes: { code: number; reason: string }[] = []
  const init: WSConnectionInit<RawSocket> = {
    raw: { id: 'raw-socket' },
    url: 'http://localhost/chat?room=1',
    protocol: 'chat',
    readyState: () => state,
    send: (data, options) => {
      sent.push({ data, options })
    },
    close: (code, reason) => {
      closes.push({ code, reason })
      state = 2
    },
  }
  return {
    init,
    sent,
    closes,
    setState(s: WSReadyState) {
      state = s
    },
  }
}

/** Handlers that record every event in `log`. */
function recorder(overrides: WSEvents<RawSocket> = {}) {
  const log: string[] = []
  const contexts: WSContext<RawSocket>[] = []
  const errors: WSErrorEvent[] = []
  const closeEvents: WSCloseEvent[] = []
  const events: WSEvents<RawSocket> = {
    onOpen(_evt, ws) {
      log.push('open')
      contexts.push(ws)
    },
    onMessage(evt, ws) {
      log.push(`message:${typeof evt.data === 'string' ? evt.data : `<${evt.data.byteLength} bytes>`}`)
      contexts.push(ws)
    },
    onClose(evt, ws) {
      log.push(`close:${evt.code}`)
      closeEvents.push(evt)
      contexts.push(ws)
    },
    onError(evt, ws) {
      log.push('error')
      errors.push(evt)
      contexts.push(ws)
    },
    ...overrides,
  }
  return { events, log, contexts, errors, closeEvents }
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

let consoleError: MockInstance<typeof console.error>

beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
})

afterEach(() => {
  consoleError.mockRestore()
})

describe('createConnection: ordering', () => {
  it('delivers onOpen once even if open() is called twice', () => {
    const { events, log } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.open()
    expect(log).toEqual(['open'])
  })

  it('passes an open event of type "open"', () => {
    const onOpen = vi.fn()
    const conn = createConnection({ onOpen }, fakeSocket().init)
    conn.open()
    expect(onOpen).toHaveBeenCalledWith({ type: 'open' }, conn.ws)
  })

  it('buffers messages that arrive before open() and delivers them after onOpen, in order', () => {
    const { events, log } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.message('a')
    conn.message(new Uint8Array([1, 2, 3]))
    conn.message('b')
    expect(log).toEqual([])
    conn.open()
    expect(log).toEqual(['open', 'message:a', 'message:<3 bytes>', 'message:b'])
    conn.message('c')
    expect(log).toEqual(['open', 'message:a', 'message:<3 bytes>', 'message:b', 'message:c'])
  })

  it('passes a message event of type "message" with the data', () => {
    const onMessage = vi.fn()
    const conn = createConnection({ onMessage }, fakeSocket().init)
    conn.open()
    conn.message('hi')
    expect(onMessage).toHaveBeenCalledWith({ type: 'message', data: 'hi' }, conn.ws)
  })

  it('delivers onOpen, the buffered messages and then onClose when close() comes before open()', () => {
    const { events, log } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.message('early')
    conn.closed(1001, 'going away')
    expect(log).toEqual(['open', 'message:early', 'close:1001'])
    conn.open()
    expect(log).toEqual(['open', 'message:early', 'close:1001'])
  })

  it('delivers onClose exactly once when close() is called repeatedly', () => {
    const { events, log, closeEvents } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.closed(1000, 'bye')
    conn.closed(1006, '')
    conn.closed(0, '')
    expect(log).toEqual(['open', 'close:1000'])
    expect(closeEvents).toEqual([{ type: 'close', code: 1000, reason: 'bye', wasClean: true }])
  })

  it('ignores messages after close()', () => {
    const { events, log } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.closed(1000, '')
    conn.message('late')
    conn.message(new ArrayBuffer(2))
    expect(log).toEqual(['open', 'close:1000'])
  })

  it('calls handlers with the events object as this', () => {
    const seen: unknown[] = []
    const events: WSEvents = {
      onOpen() {
        seen.push(this)
      },
      onMessage() {
        seen.push(this)
      },
      onClose() {
        seen.push(this)
      },
      onError() {
        seen.push(this)
      },
    }
    const conn = createConnection(events, fakeSocket().init as WSConnectionInit<unknown>)
    conn.open()
    conn.message('x')
    conn.error(new Error('x'))
    conn.closed(1000, '')
    expect(seen).toHaveLength(4)
    for (const self of seen) expect(self).toBe(events)
  })
})

describe('createConnection: close events', () => {
  it('reports code 0 as 1006 with wasClean false', () => {
    const { events, closeEvents } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.closed(0, '')
    expect(closeEvents).toEqual([{ type: 'close', code: 1006, reason: '', wasClean: false }])
  })

  it('reports 1006 with wasClean false', () => {
    const { events, closeEvents } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.closed(1006, '')
    expect(closeEvents[0]).toMatchObject({ code: 1006, wasClean: false })
  })

  it.each([1000, 1001, 1011, 4000])('reports wasClean true for code %s', (code) => {
    const { events, closeEvents } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.closed(code, 'reason')
    expect(closeEvents).toEqual([{ type: 'close', code, reason: 'reason', wasClean: true }])
  })

  it('keeps the wasClean the runtime reports', () => {
    const { events, closeEvents } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.closed(1000, '', false)
    expect(closeEvents[0]).toMatchObject({ code: 1000, wasClean: false })
  })

  it("reports a missing reason as ''", () => {
    const { events, closeEvents } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.closed(1000, undefined as unknown as string)
    expect(closeEvents[0]!.reason).toBe('')
  })
})

describe('createConnection: the WSContext', () => {
  it('reads readyState 0 before open, the live raw value while open and 3 inside onClose and after', () => {
    const socket = fakeSocket(1)
    const seen: WSReadyState[] = []
    const conn = createConnection(
      {
        onOpen(_evt, ws) {
          seen.push(ws.readyState)
        },
        onClose(_evt, ws) {
          seen.push(ws.readyState)
        },
      },
      socket.init
    )
    expect(conn.ws.readyState).toBe(0)
    conn.open()
    expect(conn.ws.readyState).toBe(1)
    socket.setState(2)
    expect(conn.ws.readyState).toBe(2)
    socket.setState(1)
    expect(conn.ws.readyState).toBe(1)
    socket.setState(2)
    conn.closed(1000, '')
    expect(conn.ws.readyState).toBe(3)
    socket.setState(1)
    expect(conn.ws.readyState).toBe(3)
    expect(seen).toEqual([1, 3])
  })

  it('hands the same WSContext to every handler, equal to conn.ws', () => {
    const { events, contexts } = recorder()
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.message('a')
    conn.error(new Error('runtime'))
    conn.closed(1000, '')
    expect(contexts).toHaveLength(4)
    for (const ws of contexts) expect(ws).toBe(conn.ws)
    expect(conn.ws).toBeInstanceOf(WSContext)
  })

  it("is the connection itself, an instanceof Hono's WSContext that shows none of core's fields", () => {
    const hub = createWebSocketHub()
    const limits = resolveLimits({ heartbeat: { interval: 60_000 } }, undefined)
    const socket = { ...fakeSocket().init, ping: () => {}, terminate: () => {}, bufferedAmount: () => 0 }
    const conn = createConnection(recorder().events, { ...socket, hub, limits })
    conn.open()
    expect(conn.ws).toBe(conn)
    expect(conn.ws).toBeInstanceOf(HonoWSContext)
    // In the hub and the heartbeat, and still no own string-keyed property (what Object.keys, for…in, JSON and a
    // console table see): core's positions in them are under symbols of its own.
    expect(Object.getOwnPropertyNames(conn.ws)).toEqual([])
    expect(JSON.stringify(conn.ws)).toBe('{}')
    // ws.close() is the application's (a closing handshake), not the handle's report of a close.
    conn.ws.close(4000, 'bye')
    expect(conn.ws.readyState).toBe(2)
    conn.closed(4000, 'bye')
    expect(conn.ws.readyState).toBe(3)
  })

  it('exposes raw, url and protocol of the init', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    expect(conn.ws.raw).toBe(socket.init.raw)
    expect(conn.ws.url?.href).toBe('http://localhost/chat?room=1')
    expect(conn.ws.url?.searchParams.get('room')).toBe('1')
    expect(conn.ws.protocol).toBe('chat')
  })
})

describe('createConnection: binary messages', () => {
  it('delivers a Uint8Array view with an offset as an ArrayBuffer of exactly its bytes', () => {
    const received: unknown[] = []
    const conn = createConnection({ onMessage: (evt) => void received.push(evt.data) }, fakeSocket().init)
    conn.open()
    const shared = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7])
    conn.message(shared.subarray(2, 5))
    expect(received).toHaveLength(1)
    const data = received[0] as ArrayBuffer
    expect(data).toBeInstanceOf(ArrayBuffer)
    expect(data.byteLength).toBe(3)
    expect(Array.from(new Uint8Array(data))).toEqual([2, 3, 4])
  })

  it('copies a buffered view when it arrives, so reuse of the runtime buffer does not change it', () => {
    const received: ArrayBuffer[] = []
    const conn = createConnection(
      { onMessage: (evt) => void received.push(evt.data as ArrayBuffer) },
      fakeSocket().init
    )
    const shared = new Uint8Array([10, 11, 12, 13])
    conn.message(shared.subarray(1, 3))
    shared.fill(0)
    conn.open()
    expect(Array.from(new Uint8Array(received[0]!))).toEqual([11, 12])
  })

  it('delivers an ArrayBuffer as it is and a string unchanged', () => {
    const received: unknown[] = []
    const conn = createConnection({ onMessage: (evt) => void received.push(evt.data) }, fakeSocket().init)
    conn.open()
    const buffer = new ArrayBuffer(4)
    conn.message(buffer)
    conn.message('text')
    expect(received[0]).toBe(buffer)
    expect(received[1]).toBe('text')
  })
})

type Handler = 'onOpen' | 'onMessage' | 'onClose'

/** Drives a connection far enough that `handler` runs. */
function trigger(conn: ReturnType<typeof createConnection<RawSocket>>, handler: Handler) {
  conn.open()
  if (handler === 'onMessage') conn.message('boom')
  if (handler === 'onClose') conn.closed(1000, '')
}

describe('createConnection: handler errors', () => {
  describe.each<Handler>(['onOpen', 'onMessage', 'onClose'])('%s', (handler) => {
    it('hands a sync throw to onError with the same error object', () => {
      const error = new Error(`${handler} failed`)
      const { events, errors } = recorder({
        [handler]: () => {
          throw error
        },
      })
      const conn = createConnection(events, fakeSocket().init)
      expect(() => trigger(conn, handler)).not.toThrow()
      expect(errors).toHaveLength(1)
      expect(errors[0]!.error).toBe(error)
      expect(errors[0]!.type).toBe('error')
      expect(errors[0]!.message).toBe(`${handler} failed`)
    })

    it('hands an async rejection to onError with the same error object', async () => {
      const error = new Error(`${handler} rejected`)
      const { events, errors } = recorder({ [handler]: async () => Promise.reject(error) })
      const conn = createConnection(events, fakeSocket().init)
      trigger(conn, handler)
      await flush()
      expect(errors).toHaveLength(1)
      expect(errors[0]!.error).toBe(error)
      expect(errors[0]!.message).toBe(`${handler} rejected`)
    })

    it('hands a thrown non-Error value through as it is', () => {
      const thrown = { code: 'E_CUSTOM' }
      const { events, errors } = recorder({
        [handler]: () => {
          throw thrown
        },
      })
      trigger(createConnection(events, fakeSocket().init), handler)
      expect(errors[0]!.error).toBe(thrown)
      expect(errors[0]!.message).toBe('[object Object]')
    })
  })

  it.each<Handler>(['onOpen', 'onMessage'])('closes with 1011 once after a sync %s failure', (handler) => {
    const socket = fakeSocket()
    const { events } = recorder({
      [handler]: () => {
        throw new Error('x')
      },
    })
    const conn = createConnection(events, socket.init)
    trigger(conn, handler)
    conn.message('again')
    conn.message('and again')
    expect(HANDLER_ERROR_CLOSE_CODE).toBe(1011)
    expect(socket.closes).toEqual([{ code: 1011, reason: 'Internal Error' }])
  })

  it.each<Handler>(['onOpen', 'onMessage'])(
    'closes with 1011 once after an async %s failure',
    async (handler) => {
      const socket = fakeSocket()
      const { events } = recorder({ [handler]: async () => Promise.reject(new Error('x')) })
      const conn = createConnection(events, socket.init)
      trigger(conn, handler)
      await flush()
      conn.message('again')
      await flush()
      expect(socket.closes).toEqual([{ code: 1011, reason: 'Internal Error' }])
    }
  )

  it('closes with 1011 once when several onMessage promises reject', async () => {
    const socket = fakeSocket()
    const { events, errors } = recorder({ onMessage: async () => Promise.reject(new Error('x')) })
    const conn = createConnection(events, socket.init)
    conn.open()
    conn.message('1')
    conn.message('2')
    await flush()
    expect(errors).toHaveLength(2)
    expect(socket.closes).toEqual([{ code: 1011, reason: 'Internal Error' }])
  })

  it('does not close after an onClose failure', async () => {
    const socket = fakeSocket()
    const { events, errors } = recorder({
      onClose: () => {
        throw new Error('sync')
      },
    })
    const conn = createConnection(events, socket.init)
    conn.open()
    conn.closed(1000, '')
    const asyncSocket = fakeSocket()
    const asyncConn = createConnection(
      { ...events, onClose: () => Promise.reject(new Error('async')) },
      asyncSocket.init
    )
    asyncConn.open()
    asyncConn.closed(1000, '')
    await flush()
    expect(errors).toHaveLength(2)
    expect(socket.closes).toEqual([])
    expect(asyncSocket.closes).toEqual([])
  })

  it.each<WSReadyState>([2, 3])(
    'does not close after a handler failure when the raw readyState is %s',
    (state) => {
      const socket = fakeSocket()
      const { events, errors } = recorder({
        onMessage: () => {
          throw new Error('x')
        },
      })
      const conn = createConnection(events, socket.init)
      conn.open()
      socket.setState(state)
      conn.message('boom')
      expect(errors).toHaveLength(1)
      expect(socket.closes).toEqual([])
    }
  )

  it('does not deliver further messages after a sync onMessage failure', () => {
    const seen: unknown[] = []
    const conn = createConnection(
      {
        onMessage(evt) {
          seen.push(evt.data)
          throw new Error('x')
        },
        onError() {},
      },
      fakeSocket().init
    )
    conn.open()
    conn.message('1')
    conn.message('2')
    expect(seen).toEqual(['1'])
  })

  it('does not deliver further messages after an async onMessage rejection', async () => {
    const seen: unknown[] = []
    const conn = createConnection(
      {
        async onMessage(evt) {
          seen.push(evt.data)
          throw new Error('x')
        },
        onError() {},
      },
      fakeSocket().init
    )
    conn.open()
    conn.message('1')
    await flush()
    conn.message('2')
    expect(seen).toEqual(['1'])
  })

  it('does not deliver buffered messages after onOpen throws', () => {
    const { events, log } = recorder({
      onOpen: () => {
        throw new Error('x')
      },
    })
    const conn = createConnection(events, fakeSocket().init)
    conn.message('buffered')
    conn.open()
    conn.message('live')
    expect(log).toEqual(['error'])
  })

  it('still delivers onClose after a handler failure', () => {
    const { events, log } = recorder({
      onMessage: () => {
        throw new Error('x')
      },
    })
    const conn = createConnection(events, fakeSocket().init)
    conn.open()
    conn.message('boom')
    conn.closed(1011, 'Internal Error')
    expect(log).toEqual(['open', 'error', 'close:1011'])
  })

  it('does not throw when onError throws, and logs with console.error', () => {
    const conn = createConnection(
      {
        onMessage: () => {
          throw new Error('handler')
        },
        onError: () => {
          throw new Error('onError itself')
        },
      },
      fakeSocket().init
    )
    conn.open()
    expect(() => conn.message('x')).not.toThrow()
    expect(() => conn.error(new Error('runtime'))).not.toThrow()
    expect(consoleError).toHaveBeenCalledTimes(2)
    const logged = consoleError.mock.calls.flat()
    expect(logged.some((v) => v instanceof Error && v.message === 'onError itself')).toBe(true)
  })

  it('does not throw when onError rejects, and logs with console.error', async () => {
    // An unhandled rejection would also fail the run: vitest reports those as errors.
    const conn = createConnection(
      {
        onOpen: () => {
          throw new Error('handler')
        },
        onError: async () => {
          throw new Error('onError rejected')
        },
      },
      fakeSocket().init
    )
    expect(() => conn.open()).not.toThrow()
    await flush()
    expect(consoleError).toHaveBeenCalledTimes(1)
    expect(consoleError.mock.calls[0]).toContainEqual(new Error('onError rejected'))
  })

  it('logs with console.error when no onError is set', async () => {
    const error = new Error('nobody listens')
    const conn = createConnection(
      {
        onMessage: () => {
          throw error
        },
        onClose: async () => Promise.reject(error),
      },
      fakeSocket().init
    )
    conn.open()
    expect(() => conn.message('x')).not.toThrow()
    expect(consoleError).toHaveBeenCalledTimes(1)
    expect(consoleError.mock.calls[0]).toContain(error)
    conn.closed(1000, '')
    await flush()
    expect(consoleError).toHaveBeenCalledTimes(2)
    expect(consoleError.mock.calls[1]).toContain(error)
  })

  it('logs with console.error when the close after a failure throws', () => {
    const socket = fakeSocket()
    socket.init.close = () => {
      throw new Error('close failed')
    }
    const { events, errors } = recorder({
      onOpen: () => {
        throw new Error('x')
      },
    })
    const conn = createConnection(events, socket.init)
    expect(() => conn.open()).not.toThrow()
    expect(errors).toHaveLength(1)
    expect(consoleError).toHaveBeenCalledTimes(1)
  })
})

describe('createConnection: runtime errors', () => {
  it('hands conn.error(err) to onError without closing', () => {
    const socket = fakeSocket()
    const { events, errors, log } = recorder()
    const conn = createConnection(events, socket.init)
    conn.open()
    const error = new Error('bad frame')
    conn.error(error)
    expect(errors).toHaveLength(1)
    expect(errors[0]!.error).toBe(error)
    expect(errors[0]!.message).toBe('bad frame')
    expect(socket.closes).toEqual([])
    conn.message('still delivered')
    expect(log).toEqual(['open', 'error', 'message:still delivered'])
  })

  it('logs conn.error(err) with console.error when no onError is set', () => {
    const conn = createConnection({}, fakeSocket().init)
    const error = new Error('reset')
    conn.error(error)
    expect(consoleError).toHaveBeenCalledTimes(1)
    expect(consoleError.mock.calls[0]).toContain(error)
  })
})

describe('createConnection: ws.send and ws.close', () => {
  it('passes exactly the bytes of a view to init.send on an open connection', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    const whole = new Uint8Array([0, 1, 2, 3, 4, 5])
    conn.ws.send(whole.subarray(1, 4))
    conn.ws.send('text', { compress: true })
    conn.ws.send(new Uint8Array([7, 8]).buffer)
    expect(socket.sent).toHaveLength(3)
    const first = socket.sent[0]!.data as Uint8Array
    expect(first).toBeInstanceOf(Uint8Array)
    expect(first.byteOffset).toBe(1)
    expect(first.byteLength).toBe(3)
    expect(Array.from(first)).toEqual([1, 2, 3])
    expect(socket.sent[0]!.options).toEqual({})
    expect(socket.sent[1]).toEqual({ data: 'text', options: { compress: true } })
    expect(Array.from(socket.sent[2]!.data as Uint8Array)).toEqual([7, 8])
  })

  it('does nothing and does not throw on ws.send after close', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    conn.closed(1000, '')
    expect(() => conn.ws.send('late')).not.toThrow()
    expect(() => conn.ws.send(new Uint8Array([1]))).not.toThrow()
    expect(socket.sent).toEqual([])
  })

  it('does nothing on ws.send inside onClose', () => {
    const socket = fakeSocket()
    const conn = createConnection({ onClose: (_evt, ws) => ws.send('bye') }, socket.init)
    conn.open()
    conn.closed(1000, '')
    expect(consoleError).not.toHaveBeenCalled()
    expect(socket.sent).toEqual([])
  })

  it('does nothing on ws.send before open', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.ws.send('too early')
    expect(socket.sent).toEqual([])
  })

  it('does nothing on ws.send while the raw socket is closing', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    socket.setState(2)
    conn.ws.send('x')
    expect(socket.sent).toEqual([])
  })

  it('rejects data that cannot be sent with a TypeError', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    expect(() => conn.ws.send({ a: 1 } as unknown as string)).toThrow(TypeError)
    expect(socket.sent).toEqual([])
  })

  it('passes a valid ws.close to init.close, with 1000 by default', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    conn.ws.close(4001, 'kicked')
    const other = fakeSocket()
    const second = createConnection({}, other.init)
    second.open()
    second.ws.close()
    expect(socket.closes).toEqual([{ code: 4001, reason: 'kicked' }])
    expect(other.closes).toEqual([{ code: 1000, reason: '' }])
  })

  it('throws a RangeError for ws.close(1005) and does not close', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    expect(() => conn.ws.close(1005)).toThrow(RangeError)
    expect(() => conn.ws.close(1000, 'x'.repeat(124))).toThrow(RangeError)
    expect(socket.closes).toEqual([])
  })

  it.each<WSReadyState>([2, 3])('does nothing on ws.close when the readyState is %s', (state) => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    socket.setState(state)
    conn.ws.close(1000, 'bye')
    expect(socket.closes).toEqual([])
  })

  it('does nothing on ws.close inside onClose and after close', () => {
    const socket = fakeSocket()
    const conn = createConnection({ onClose: (_evt, ws) => ws.close() }, socket.init)
    conn.open()
    conn.closed(1000, '')
    conn.ws.close(1000)
    expect(consoleError).not.toHaveBeenCalled()
    expect(socket.closes).toEqual([])
  })

  it('closes the raw socket once when ws.close is called twice', () => {
    const socket = fakeSocket()
    const conn = createConnection({}, socket.init)
    conn.open()
    conn.ws.close(1000)
    conn.ws.close(1000)
    expect(socket.closes).toHaveLength(1)
  })
})

describe('adapter-facing details', () => {
  it('calls send and close of an init written with methods that use this', () => {
    const sock = { sent: [] as unknown[], closed: [] as number[], state: 1 as WSReadyState }
    const init = {
      raw: sock,
      url: 'http://localhost/',
      protocol: '',
      readyState() {
        return sock.state
      },
      send(this: unknown, data: string | Uint8Array) {
        ;(this as { sock: typeof sock }).sock.sent.push(data)
      },
      close(this: unknown, code: number) {
        ;(this as { sock: typeof sock }).sock.closed.push(code)
      },
      sock,
    }
    const conn = createConnection({}, init)
    conn.open()
    conn.ws.send('hi')
    conn.ws.close(4000)
    expect(sock.sent).toEqual(['hi'])
    expect(sock.closed).toEqual([4000])
  })

  it('asks for the 1011 close once even when the runtime reports readyState late', async () => {
    const closes: number[] = []
    const conn = createConnection(
      {
        onMessage: () => Promise.reject(new Error('late')),
        onError: () => {},
      },
      {
        raw: {},
        url: 'http://localhost/',
        protocol: '',
        readyState: () => 1,
        send: () => {},
        close: (code) => {
          closes.push(code)
        },
      }
    )
    conn.open()
    conn.message('a')
    conn.message('b')
    conn.message('c')
    await new Promise((r) => setTimeout(r, 10))
    expect(closes).toEqual([HANDLER_ERROR_CLOSE_CODE])
  })
})

describe('readyState after a close request', () => {
  it('reports CLOSING right after ws.close() even when the runtime still says OPEN', () => {
    const closes: number[] = []
    const conn = createConnection(
      {},
      {
        raw: {},
        url: 'http://localhost/',
        protocol: '',
        readyState: () => 1,
        send: () => {},
        close: (c) => closes.push(c),
      }
    )
    conn.open()
    conn.ws.close(4000)
    expect(conn.ws.readyState).toBe(2)
    conn.ws.close(4001)
    expect(closes).toEqual([4000])
  })
})

describe('a resumed connection', () => {
  it('starts open, does not repeat onOpen, and keeps the restored data', () => {
    const calls: string[] = []
    const conn = createConnection(
      {
        onOpen: () => {
          calls.push('open')
        },
        onMessage: (e, ws) => {
          calls.push(`message:${e.data}:${ws.data.user}`)
        },
      },
      {
        raw: {},
        url: 'http://localhost/',
        protocol: 'chat',
        data: { user: 'ann' },
        resumed: true,
        readyState: () => 1,
        send: () => {},
        close: () => {},
      }
    )
    expect(conn.ws.readyState).toBe(1)
    conn.message('hi')
    conn.open()
    expect(calls).toEqual(['message:hi:ann'])
  })
})

describe('after close', () => {
  const init = () => ({
    raw: {},
    url: 'http://localhost/',
    protocol: '',
    readyState: () => 1 as WSReadyState,
    send: () => {},
    close: () => {},
  })

  it('does not deliver runtime errors reported once the connection closed', () => {
    const errors: unknown[] = []
    const conn = createConnection({ onError: (e) => void errors.push(e.error) }, init())
    conn.open()
    conn.error(new Error('while open'))
    conn.closed(1000, '')
    conn.error(new Error('Network connection lost.'))
    expect(errors.map((e) => (e as Error).message)).toEqual(['while open'])
  })

  it('returns a promise that settles when an async onClose has finished, and nothing for a sync one', async () => {
    let finished = false
    const slow = createConnection(
      {
        onClose: async () => {
          await new Promise((r) => setTimeout(r, 20))
          finished = true
        },
      },
      init()
    )
    slow.open()
    const done = slow.closed(1000, '')
    expect(done).toBeInstanceOf(Promise)
    expect(finished).toBe(false)
    await done
    expect(finished).toBe(true)
    const quick = createConnection({ onClose: () => {} }, init())
    quick.open()
    expect(quick.closed(1000, '')).toBeUndefined()
  })
})

describe('createConnection: memory shape', () => {
  it('keeps the connection and its context as fast-mode objects in V8, whatever its hub and limits', () => {
    setFlagsFromString('--allow-natives-syntax')
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean
    const hub = createWebSocketHub()
    const limits = resolveLimits({ heartbeat: { interval: 60_000 } }, undefined)
    const socket = { ...fakeSocket().init, ping: () => {}, terminate: () => {}, bufferedAmount: () => 0 }
    const conn = createConnection(recorder().events, { ...socket, hub, limits })
    conn.open()
    conn.ws.subscribe('room')
    expect(hasFastProperties(conn)).toBe(true)
    expect(hasFastProperties(conn.ws)).toBe(true)
    conn.closed(1000, '')
  })
})
