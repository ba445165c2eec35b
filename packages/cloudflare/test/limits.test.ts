import { describe, expect, it } from 'vitest'
import { createCloudflareWebSocket, createDurableWebSocket } from '../src/index.ts'

const fakeState = { acceptWebSocket() {}, getWebSockets: () => [] }

describe('settings workerd cannot honour are refused, not ignored', () => {
  it('a heartbeat on the Worker helper', () => {
    expect(() => createCloudflareWebSocket({ heartbeat: { interval: 1000 } })).toThrow(
      /heartbeat is not available here: workerd's WebSocket cannot send ping frames/
    )
  })

  it('a send-buffer limit on a route', () => {
    const { upgradeWebSocket } = createCloudflareWebSocket()
    expect(() => upgradeWebSocket(() => ({}), { maxBufferedAmount: 1024 })).toThrow(
      /maxBufferedAmount is not available here: workerd does not report how much data waits to be sent/
    )
  })

  it('pub/sub and shutdown in a Worker, which may only use a socket from the request that opened it', async () => {
    const helper = createCloudflareWebSocket()
    expect(() => helper.publish('room', 'hi')).toThrow(/publish is not available here: .*Durable Object/)
    await expect(helper.shutdown()).rejects.toThrow(/shutdown is not available here/)
  })

  it('a heartbeat on the Durable Object helper', () => {
    expect(() => createDurableWebSocket(fakeState, { heartbeat: { interval: 1000 } })).toThrow(/heartbeat/)
  })

  it('what workerd can do is accepted: payload, connections, origins, and turning the heartbeat off', () => {
    const { upgradeWebSocket } = createCloudflareWebSocket({ maxPayload: 4096, heartbeat: false })
    expect(() => upgradeWebSocket(() => ({}), { maxConnections: 2, allowedOrigins: '*' })).not.toThrow()
  })
})
