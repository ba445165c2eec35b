import { describe, expect, it, type Mock, vi } from 'vitest'
import type { WSContext } from './context.ts'
import { createWebSocketHub, type HubMember, type WSHub, type WSNativePubSub } from './hub.ts'

interface FakeMember extends HubMember {
  sendEncoded: Mock<(payload: string | Uint8Array) => void>
  close: Mock<(code?: number, reason?: string) => void>
}

/** A hub member whose ws is a fake with a close spy, and whose sendEncoded records every payload. */
function fakeMember(onClose?: (member: FakeMember) => void): FakeMember {
  const close = vi.fn<(code?: number, reason?: string) => void>()
  const member: FakeMember = {
    ws: { close } as unknown as WSContext<any>,
    sendEncoded: vi.fn<(payload: string | Uint8Array) => void>(),
    abort: vi.fn<(reason: string) => void>(),
    close,
  }
  if (onClose) close.mockImplementation(() => onClose(member))
  return member
}

function nativeFake() {
  return {
    subscribe: vi.fn<WSNativePubSub['subscribe']>(),
    unsubscribe: vi.fn<WSNativePubSub['unsubscribe']>(),
    publish: vi.fn<WSNativePubSub['publish']>(),
  }
}

const payloads = (m: FakeMember) => m.sendEncoded.mock.calls.map((call) => call[0])

/** Whether `p` has settled after pending microtasks and a macrotask ran. */
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
  await new Promise<void>((resolve) => setTimeout(resolve, 0))
  return settled
}

describe('createWebSocketHub: connections', () => {
  it('starts with no connections', () => {
    const hub = createWebSocketHub()
    expect(hub.connections.size).toBe(0)
    expect([...hub.connections]).toEqual([])
  })

  it('counts and iterates the ws of every added member, live', () => {
    const hub = createWebSocketHub()
    const view = hub.connections
    const a = fakeMember()
    const b = fakeMember()
    hub.add(a)
    hub.add(b)
    expect(view.size).toBe(2)
    expect([...view]).toEqual([a.ws, b.ws])
    hub.remove(a)
    expect(view.size).toBe(1)
    expect([...view]).toEqual([b.ws])
    hub.remove(b)
    expect(view.size).toBe(0)
    expect([...view]).toEqual([])
  })

  it('counts a member added twice once', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.add(a)
    expect(hub.connections.size).toBe(1)
  })

  it('ignores removing a member that was never added', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.remove(fakeMember())
    expect([...hub.connections]).toEqual([a.ws])
  })
})

describe('createWebSocketHub: pub/sub', () => {
  it('publishes to the subscribers of the topic only', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    const b = fakeMember()
    const other = fakeMember()
    for (const m of [a, b, other]) hub.add(m)
    hub.subscribe(a, 'news')
    hub.subscribe(b, 'news')
    hub.subscribe(other, 'sport')
    hub.publish('news', 'hello')
    expect(payloads(a)).toEqual(['hello'])
    expect(payloads(b)).toEqual(['hello'])
    expect(other.sendEncoded).not.toHaveBeenCalled()
  })

  it('publishes to nobody when the topic has no subscribers', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'news')
    expect(() => hub.publish('empty', 'x')).not.toThrow()
    expect(a.sendEncoded).not.toHaveBeenCalled()
  })

  it('encodes a publish once: every member gets the same payload object', () => {
    const hub = createWebSocketHub()
    const members = [fakeMember(), fakeMember(), fakeMember()]
    for (const m of members) {
      hub.add(m)
      hub.subscribe(m, 'bin')
    }
    hub.publish('bin', new ArrayBuffer(3))
    const first = members[0]!.sendEncoded.mock.calls[0]![0]
    expect(first).toBeInstanceOf(Uint8Array)
    for (const m of members) {
      expect(m.sendEncoded).toHaveBeenCalledTimes(1)
      expect(m.sendEncoded.mock.calls[0]![0]).toBe(first)
    }
  })

  it('delivers exactly the bytes of a Uint8Array view with an offset', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    const b = fakeMember()
    hub.add(a)
    hub.add(b)
    hub.subscribe(a, 'bin')
    hub.subscribe(b, 'bin')
    const backing = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7])
    hub.publish('bin', new Uint8Array(backing.buffer, 2, 3))
    const got = a.sendEncoded.mock.calls[0]![0]
    expect(got).toBeInstanceOf(Uint8Array)
    expect((got as Uint8Array).byteLength).toBe(3)
    expect(Array.from(got as Uint8Array)).toEqual([2, 3, 4])
    expect(b.sendEncoded.mock.calls[0]![0]).toBe(got)
  })

  it('delivers exactly the bytes of a DataView', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'bin')
    hub.publish('bin', new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2))
    expect(Array.from(a.sendEncoded.mock.calls[0]![0] as Uint8Array)).toEqual([8, 7])
  })

  it('refuses data it cannot send with a TypeError', () => {
    const hub = createWebSocketHub()
    expect(() => hub.publish('t', { a: 1 } as unknown as string)).toThrow(TypeError)
  })

  it('excludes the sender in publishFrom', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    const b = fakeMember()
    hub.add(a)
    hub.add(b)
    hub.subscribe(a, 'room')
    hub.subscribe(b, 'room')
    hub.publishFrom(a, 'room', 'from a')
    expect(a.sendEncoded).not.toHaveBeenCalled()
    expect(payloads(b)).toEqual(['from a'])
  })

  it('delivers to everyone in publishFrom without a sender', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'room')
    hub.publishFrom(undefined, 'room', 'x')
    expect(payloads(a)).toEqual(['x'])
  })

  it('stops delivery after unsubscribe', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    const b = fakeMember()
    hub.add(a)
    hub.add(b)
    hub.subscribe(a, 'room')
    hub.subscribe(b, 'room')
    hub.unsubscribe(a, 'room')
    hub.publish('room', 'after')
    expect(a.sendEncoded).not.toHaveBeenCalled()
    expect(payloads(b)).toEqual(['after'])
  })

  it('keeps other topics after unsubscribing from one', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'one')
    hub.subscribe(a, 'two')
    hub.unsubscribe(a, 'one')
    hub.publish('one', '1')
    hub.publish('two', '2')
    expect(payloads(a)).toEqual(['2'])
  })

  it('ignores unsubscribing from a topic never subscribed', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    expect(() => hub.unsubscribe(a, 'never')).not.toThrow()
    expect(hub.isSubscribed(a, 'never')).toBe(false)
  })

  it('stops delivery after remove', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    const b = fakeMember()
    hub.add(a)
    hub.add(b)
    hub.subscribe(a, 'room')
    hub.subscribe(a, 'other')
    hub.subscribe(b, 'room')
    hub.remove(a)
    hub.publish('room', 'after')
    hub.publish('other', 'after')
    expect(a.sendEncoded).not.toHaveBeenCalled()
    expect(payloads(b)).toEqual(['after'])
    expect(hub.isSubscribed(a, 'room')).toBe(false)
  })

  it('reports isSubscribed', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    const b = fakeMember()
    hub.add(a)
    hub.add(b)
    expect(hub.isSubscribed(a, 'room')).toBe(false)
    hub.subscribe(a, 'room')
    expect(hub.isSubscribed(a, 'room')).toBe(true)
    expect(hub.isSubscribed(a, 'other')).toBe(false)
    expect(hub.isSubscribed(b, 'room')).toBe(false)
    hub.unsubscribe(a, 'room')
    expect(hub.isSubscribed(a, 'room')).toBe(false)
  })

  it('delivers once to a member that subscribed twice', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'room')
    hub.subscribe(a, 'room')
    hub.publish('room', 'once')
    expect(payloads(a)).toEqual(['once'])
  })

  it('stops delivery after one unsubscribe even when subscribed twice', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'room')
    hub.subscribe(a, 'room')
    hub.unsubscribe(a, 'room')
    hub.publish('room', 'x')
    expect(a.sendEncoded).not.toHaveBeenCalled()
  })

  it('delivers again after resubscribing', () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'room')
    hub.unsubscribe(a, 'room')
    hub.subscribe(a, 'room')
    hub.publish('room', 'back')
    expect(payloads(a)).toEqual(['back'])
  })
})

describe('createWebSocketHub: shutdown', () => {
  it('closes every member with 1001 and sets closing, resolving when members remove themselves in close', async () => {
    let hub!: WSHub
    const members = [1, 2, 3].map(() => fakeMember((m) => hub.remove(m)))
    hub = createWebSocketHub()
    for (const m of members) hub.add(m)
    expect(hub.closing).toBe(false)
    const done = hub.shutdown()
    expect(hub.closing).toBe(true)
    for (const m of members) {
      expect(m.close).toHaveBeenCalledTimes(1)
      expect(m.close).toHaveBeenCalledWith(1001, 'Server shutting down')
    }
    await expect(done).resolves.toBeUndefined()
    expect(hub.connections.size).toBe(0)
  })

  it('resolves only after the last member is removed', async () => {
    const hub = createWebSocketHub()
    const members = [fakeMember(), fakeMember(), fakeMember()]
    for (const m of members) hub.add(m)
    const done = hub.shutdown()
    for (const m of members) expect(m.close).toHaveBeenCalledWith(1001, 'Server shutting down')
    expect(await isSettled(done)).toBe(false)
    hub.remove(members[0]!)
    expect(await isSettled(done)).toBe(false)
    hub.remove(members[1]!)
    expect(await isSettled(done)).toBe(false)
    hub.remove(members[2]!)
    expect(await isSettled(done)).toBe(true)
    await expect(done).resolves.toBeUndefined()
  })

  it('resolves at once with no members, and sets closing', async () => {
    const hub = createWebSocketHub()
    const done = hub.shutdown()
    expect(hub.closing).toBe(true)
    expect(await isSettled(done)).toBe(true)
  })

  it('uses the given code and reason', async () => {
    let hub!: WSHub
    const a = fakeMember((m) => hub.remove(m))
    hub = createWebSocketHub()
    hub.add(a)
    await hub.shutdown({ code: 4000, reason: 'maintenance' })
    expect(a.close).toHaveBeenCalledWith(4000, 'maintenance')
  })

  it('resolves every pending shutdown once the last member is removed', async () => {
    const hub = createWebSocketHub()
    const a = fakeMember()
    hub.add(a)
    const first = hub.shutdown()
    const second = hub.shutdown()
    expect(await isSettled(first)).toBe(false)
    expect(await isSettled(second)).toBe(false)
    hub.remove(a)
    expect(await isSettled(first)).toBe(true)
    expect(await isSettled(second)).toBe(true)
  })
})

describe('createWebSocketHub: native pub/sub', () => {
  it('routes subscribe, unsubscribe and publish to the native object instead of local delivery', () => {
    const hub = createWebSocketHub()
    const native = nativeFake()
    hub.useNativePubSub(native)
    const a = fakeMember()
    const b = fakeMember()
    hub.add(a)
    hub.add(b)
    hub.subscribe(a, 'room')
    hub.subscribe(b, 'room')
    expect(native.subscribe).toHaveBeenCalledTimes(2)
    expect(native.subscribe).toHaveBeenNthCalledWith(1, a, 'room')
    expect(native.subscribe).toHaveBeenNthCalledWith(2, b, 'room')
    expect(hub.isSubscribed(a, 'room')).toBe(true)

    hub.publish('room', 'hello')
    expect(native.publish).toHaveBeenCalledWith('room', 'hello', undefined)
    hub.publishFrom(a, 'room', 'from a')
    expect(native.publish).toHaveBeenLastCalledWith('room', 'from a', a)
    expect(a.sendEncoded).not.toHaveBeenCalled()
    expect(b.sendEncoded).not.toHaveBeenCalled()

    hub.unsubscribe(a, 'room')
    expect(native.unsubscribe).toHaveBeenCalledWith(a, 'room')
    expect(hub.isSubscribed(a, 'room')).toBe(false)
  })

  it('hands the native publish an encoded payload', () => {
    const hub = createWebSocketHub()
    const native = nativeFake()
    hub.useNativePubSub(native)
    hub.publish('bin', new Uint16Array([1, 2]))
    const payload = native.publish.mock.calls[0]![1]
    expect(payload).toBeInstanceOf(Uint8Array)
    expect((payload as Uint8Array).byteLength).toBe(4)
  })

  it('subscribes natively once for a repeated subscribe and skips unsubscribing an unknown topic', () => {
    const hub = createWebSocketHub()
    const native = nativeFake()
    hub.useNativePubSub(native)
    const a = fakeMember()
    hub.add(a)
    hub.subscribe(a, 'room')
    hub.subscribe(a, 'room')
    expect(native.subscribe).toHaveBeenCalledTimes(1)
    hub.unsubscribe(a, 'unknown')
    expect(native.unsubscribe).not.toHaveBeenCalled()
  })
})

describe('createWebSocketHub: isolated connections', () => {
  const reason = 'each connection lives in its own isolate'

  it('makes publish throw an Error with the reason', () => {
    const hub = createWebSocketHub({}, { isolatedConnections: reason })
    expect(() => hub.publish('t', 'x')).toThrow(Error)
    expect(() => hub.publish('t', 'x')).toThrow(reason)
    expect(() => hub.publishFrom(undefined, 't', 'x')).toThrow(/publish is not available here/)
  })

  it('makes subscribe throw an Error with the reason', () => {
    const hub = createWebSocketHub({}, { isolatedConnections: reason })
    const a = fakeMember()
    hub.add(a)
    expect(() => hub.subscribe(a, 't')).toThrow(reason)
    expect(() => hub.subscribe(a, 't')).toThrow(/subscribe is not available here/)
    expect(hub.isSubscribed(a, 't')).toBe(false)
  })

  it('makes shutdown fail with an Error with the reason, closing nothing', async () => {
    const hub = createWebSocketHub({}, { isolatedConnections: reason })
    const a = fakeMember()
    hub.add(a)
    await expect(hub.shutdown()).rejects.toThrow(reason)
    await expect(hub.shutdown()).rejects.toBeInstanceOf(Error)
    expect(a.close).not.toHaveBeenCalled()
    expect(hub.closing).toBe(false)
  })
})

describe('createWebSocketHub: options', () => {
  it('defaults maxConnections to 10,000', () => {
    expect(createWebSocketHub().maxConnections).toBe(10_000)
    expect(createWebSocketHub({}).maxConnections).toBe(10_000)
  })

  it('takes maxConnections from its options', () => {
    expect(createWebSocketHub({ maxConnections: 3 }).maxConnections).toBe(3)
  })

  it('keeps its options and runtime', () => {
    const options = { maxPayload: 10 }
    const runtime = { defaults: { maxPayload: 5 } }
    const hub = createWebSocketHub(options, runtime)
    expect(hub.options).toBe(options)
    expect(hub.runtime).toBe(runtime)
  })

  it('refuses a setting the runtime does not support, naming it and the reason', () => {
    expect(() =>
      createWebSocketHub(
        { maxBufferedAmount: 1024 },
        { unsupported: { maxBufferedAmount: 'no send buffer info' } }
      )
    ).toThrow('maxBufferedAmount is not available here: no send buffer info')
  })

  it('accepts an unsupported setting left unset or false', () => {
    expect(() => createWebSocketHub({}, { unsupported: { maxBufferedAmount: 'no' } })).not.toThrow()
    expect(() =>
      createWebSocketHub({ heartbeat: false }, { unsupported: { heartbeat: 'no pings' } })
    ).not.toThrow()
  })

  it('refuses an invalid limit with a RangeError naming it', () => {
    expect(() => createWebSocketHub({ maxPayload: -1 })).toThrow(RangeError)
    expect(() => createWebSocketHub({ maxPayload: -1 })).toThrow(/maxPayload must be a positive number.*-1/)
    expect(() => createWebSocketHub({ maxConnections: 0 })).toThrow(/maxConnections/)
  })

  it('gives every hub its own id', () => {
    const ids = new Set([createWebSocketHub().id, createWebSocketHub().id, createWebSocketHub().id])
    expect(ids.size).toBe(3)
  })
})

describe('shutdown deadline', () => {
  it('drops connections whose closing handshake does not finish in time, then resolves', async () => {
    vi.useFakeTimers()
    try {
      const hub = createWebSocketHub()
      const stuck = fakeMember()
      stuck.abort = vi.fn<(reason: string) => void>(() => hub.remove(stuck))
      hub.add(stuck)
      let done = false
      const shutdown = hub.shutdown({ timeout: 500 }).then(() => {
        done = true
      })
      await vi.advanceTimersByTimeAsync(499)
      expect(done).toBe(false)
      expect(stuck.abort).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(1)
      await shutdown
      expect(stuck.abort).toHaveBeenCalledWith('Shutdown timed out')
      expect(hub.connections.size).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('createWebSocketHub: a broker that fails', () => {
  const failing = (publish: () => void | Promise<void>) => ({
    publish: vi.fn(publish),
    subscribe: () => () => {},
  })

  it.each([
    ['rejects', () => Promise.reject(new Error('redis is down'))],
    [
      'throws',
      () => {
        throw new Error('redis is down')
      },
    ],
  ])(
    'when its publish %s: local subscribers still get the message, the error is logged, nothing throws',
    async (_how, publish) => {
      const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
      const unhandled = vi.fn()
      process.on('unhandledRejection', unhandled)
      try {
        const broker = failing(publish)
        const hub = createWebSocketHub({ broker })
        const member = fakeMember()
        hub.add(member)
        hub.subscribe(member, 'room')
        expect(() => hub.publish('room', 'hello')).not.toThrow()
        await new Promise<void>((resolve) => setTimeout(resolve, 0))
        expect(payloads(member)).toEqual(['hello'])
        expect(broker.publish).toHaveBeenCalledOnce()
        expect(consoleError).toHaveBeenCalledWith(
          '[honokit/ws] the broker could not carry a publish to other instances:',
          expect.objectContaining({ message: 'redis is down' })
        )
        expect(unhandled).not.toHaveBeenCalled()
      } finally {
        process.off('unhandledRejection', unhandled)
        consoleError.mockRestore()
      }
    }
  )

  it('stops its broker subscription on shutdown', async () => {
    const stop = vi.fn()
    const hub = createWebSocketHub({ broker: { publish: () => {}, subscribe: () => stop } })
    expect(stop).not.toHaveBeenCalled()
    await hub.shutdown()
    expect(stop).toHaveBeenCalledOnce()
  })
})

describe('createWebSocketHub: perMessageDeflate', () => {
  it('is a helper setting, off unless set to true, and checked', () => {
    expect(createWebSocketHub({}).options.perMessageDeflate).toBeUndefined()
    expect(createWebSocketHub({ perMessageDeflate: true }).options.perMessageDeflate).toBe(true)
    expect(() => createWebSocketHub({ perMessageDeflate: 'yes' as unknown as boolean })).toThrow(
      /perMessageDeflate must be true or false/
    )
  })

  it('is refused with the reason where the runtime cannot negotiate it; false is always fine', () => {
    const runtime = { noPerMessageDeflate: 'Deno never negotiates it.' }
    expect(() => createWebSocketHub({ perMessageDeflate: true }, runtime)).toThrow(
      'perMessageDeflate is not available here: Deno never negotiates it.'
    )
    expect(() => createWebSocketHub({ perMessageDeflate: false }, runtime)).not.toThrow()
  })
})
