import { describe, expect, it, vi } from 'vitest'
import { createMemoryBroker, type WSBroker, type WSBrokerMessage } from './broker.ts'
import type { WSContext } from './context.ts'
import { createWebSocketHub, type HubMember, type WSNativePubSub } from './hub.ts'

function fakeMember() {
  const sendEncoded = vi.fn<(payload: string | Uint8Array) => void>()
  const member: HubMember = {
    ws: { close: vi.fn() } as unknown as WSContext<any>,
    sendEncoded,
    abort: vi.fn(),
  }
  return { member, sendEncoded }
}
const payloads = (m: ReturnType<typeof fakeMember>) => m.sendEncoded.mock.calls.map((call) => call[0])

describe('createMemoryBroker', () => {
  it('delivers a message to every subscriber', () => {
    const broker = createMemoryBroker()
    const first = vi.fn()
    const second = vi.fn()
    broker.subscribe(first)
    broker.subscribe(second)
    const message: WSBrokerMessage = { topic: 't', data: 'hi', origin: 'hub-1' }
    broker.publish(message)
    expect(first).toHaveBeenCalledTimes(1)
    expect(first).toHaveBeenCalledWith(message)
    expect(second).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledWith(message)
  })

  it('stops delivering to a subscriber once its unsubscribe function is called', () => {
    const broker = createMemoryBroker()
    const stopped = vi.fn()
    const kept = vi.fn()
    const unsubscribe = broker.subscribe(stopped)
    broker.subscribe(kept)
    unsubscribe()
    broker.publish({ topic: 't', data: 'x', origin: 'o' })
    expect(stopped).not.toHaveBeenCalled()
    expect(kept).toHaveBeenCalledTimes(1)
  })

  it('keeps brokers apart', () => {
    const a = createMemoryBroker()
    const b = createMemoryBroker()
    const listener = vi.fn()
    b.subscribe(listener)
    a.publish({ topic: 't', data: 'x', origin: 'o' })
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('hubs sharing a memory broker', () => {
  it('carries a publish on hub A to the subscribers of hub B and of A, once each', () => {
    const broker = createMemoryBroker()
    const hubA = createWebSocketHub({ broker })
    const hubB = createWebSocketHub({ broker })
    const a = fakeMember()
    const b = fakeMember()
    const bOther = fakeMember()
    hubA.add(a.member)
    hubB.add(b.member)
    hubB.add(bOther.member)
    hubA.subscribe(a.member, 'room')
    hubB.subscribe(b.member, 'room')
    hubB.subscribe(bOther.member, 'elsewhere')

    hubA.publish('room', 'hello')
    expect(payloads(a)).toEqual(['hello'])
    expect(payloads(b)).toEqual(['hello'])
    expect(bOther.sendEncoded).not.toHaveBeenCalled()
  })

  it('carries publishes both ways', () => {
    const broker = createMemoryBroker()
    const hubA = createWebSocketHub({ broker })
    const hubB = createWebSocketHub({ broker })
    const a = fakeMember()
    const b = fakeMember()
    hubA.add(a.member)
    hubB.add(b.member)
    hubA.subscribe(a.member, 'room')
    hubB.subscribe(b.member, 'room')
    hubB.publish('room', 'from B')
    expect(payloads(a)).toEqual(['from B'])
    expect(payloads(b)).toEqual(['from B'])
  })

  it('still excludes the sender of publishFrom on its own hub', () => {
    const broker = createMemoryBroker()
    const hubA = createWebSocketHub({ broker })
    const hubB = createWebSocketHub({ broker })
    const a = fakeMember()
    const b = fakeMember()
    hubA.add(a.member)
    hubB.add(b.member)
    hubA.subscribe(a.member, 'room')
    hubB.subscribe(b.member, 'room')
    hubA.publishFrom(a.member, 'room', 'x')
    expect(a.sendEncoded).not.toHaveBeenCalled()
    expect(b.sendEncoded).toHaveBeenCalledTimes(1)
  })

  it('publishes to the broker with the topic, the encoded payload and its own hub id as origin', () => {
    const messages: WSBrokerMessage[] = []
    const broker: WSBroker = {
      publish: (message) => {
        messages.push(message)
      },
      subscribe: () => () => {},
    }
    const hub = createWebSocketHub({ broker })
    hub.publish('bin', new Uint8Array([5, 6, 7]).subarray(1))
    expect(messages).toHaveLength(1)
    expect(messages[0]!.topic).toBe('bin')
    expect(messages[0]!.origin).toBe(hub.id)
    expect(Array.from(messages[0]!.data as Uint8Array)).toEqual([6, 7])
  })

  it('ignores broker messages that carry its own id as origin', () => {
    let deliver: ((message: WSBrokerMessage) => void) | undefined
    const broker: WSBroker = {
      publish: () => {},
      subscribe: (d) => {
        deliver = d
        return () => {}
      },
    }
    const hub = createWebSocketHub({ broker })
    const a = fakeMember()
    hub.add(a.member)
    hub.subscribe(a.member, 'room')
    deliver!({ topic: 'room', data: 'echo', origin: hub.id })
    expect(a.sendEncoded).not.toHaveBeenCalled()
    deliver!({ topic: 'room', data: 'remote', origin: 'another-hub' })
    expect(payloads(a)).toEqual(['remote'])
  })

  it('hands broker messages to the native pub/sub when one is used', () => {
    const broker = createMemoryBroker()
    const hubA = createWebSocketHub({ broker })
    const hubB = createWebSocketHub({ broker })
    const native = {
      subscribe: vi.fn<WSNativePubSub['subscribe']>(),
      unsubscribe: vi.fn<WSNativePubSub['unsubscribe']>(),
      publish: vi.fn<WSNativePubSub['publish']>(),
    }
    hubB.useNativePubSub(native)
    hubA.publish('room', 'hi')
    expect(native.publish).toHaveBeenCalledTimes(1)
    expect(native.publish).toHaveBeenCalledWith('room', 'hi')
  })
})
