// A transport with `frame` and `sendFrame` gets each publish encoded once and written to every subscriber; core's
// checks (open state, the sender left out, backpressure) still hold on that path.
import { describe, expect, it, vi } from 'vitest'
import { SLOW_CONSUMER_CLOSE_CODE } from './close-code.ts'
import { connectSocket } from './connect.ts'
import type { WSTransport } from './connection-types.ts'
import { createWebSocketHub } from './hub.ts'
import { resolveLimits } from './options.ts'

interface FakeSocket {
  sent: unknown[]
  buffered: number
  closed?: [number, string]
}

function framingTransport() {
  const transport = {
    send: vi.fn((raw: FakeSocket, data: string | Uint8Array) => {
      raw.sent.push(data)
    }),
    close: (raw: FakeSocket, code: number, reason: string) => {
      raw.closed = [code, reason]
    },
    bufferedAmount: (raw: FakeSocket) => raw.buffered,
    frame: vi.fn((data: string | Uint8Array) => ({ framed: data })),
    sendFrame: vi.fn((raw: FakeSocket, frame: unknown, _data: string | Uint8Array) => {
      raw.sent.push(frame)
    }),
  } satisfies WSTransport<FakeSocket>
  const hub = createWebSocketHub({ maxBufferedAmount: 1000 }, { transport })
  const limits = resolveLimits({ maxBufferedAmount: 1000 }, undefined)
  const open = (events = {}) => {
    const raw: FakeSocket = { sent: [], buffered: 0 }
    const conn = connectSocket(events, transport, raw, {
      url: 'http://a.test/',
      protocol: '',
      hub,
      limits,
      route: { open: 0 },
    })
    conn.open()
    conn.ws.subscribe('t')
    return { raw, conn }
  }
  return { transport, hub, open }
}

describe('a publish through a transport that frames', () => {
  it('encodes each publish once and hands every subscriber the same frame', () => {
    const { transport, hub, open } = framingTransport()
    const subs = [open(), open(), open()]
    hub.publish('t', 'hello')
    hub.publish('t', new Uint8Array([1, 2]))
    expect(transport.frame).toHaveBeenCalledTimes(2)
    expect(transport.send).not.toHaveBeenCalled()
    const [first, second] = subs[0]!.raw.sent
    expect(first).toEqual({ framed: 'hello' })
    expect(second).toEqual({ framed: new Uint8Array([1, 2]) })
    for (const s of subs) expect(s.raw.sent).toEqual([first, second])
    // The payload itself goes along, for a socket that cannot take the frame now.
    expect(transport.sendFrame.mock.calls[0]![2]).toBe('hello')
  })

  it('leaves out the publishing connection and connections no longer open', () => {
    const { hub, open } = framingTransport()
    const [a, b, c] = [open(), open(), open()]
    c.conn.ws.close()
    a.conn.ws.publish('t', 'from a')
    expect(a.raw.sent).toEqual([])
    expect(b.raw.sent).toEqual([{ framed: 'from a' }])
    expect(c.raw.sent).toEqual([])
    expect(hub.connections.size).toBe(3)
  })

  it('still closes a subscriber whose send buffer passed maxBufferedAmount (1013, Try Again Later)', () => {
    const { hub, open } = framingTransport()
    const [slow, fast] = [open(), open()]
    slow.raw.buffered = 5000
    hub.publish('t', 'x'.repeat(400))
    expect(slow.raw.closed).toEqual([SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer'])
    expect(fast.raw.closed).toBeUndefined()
  })
})
