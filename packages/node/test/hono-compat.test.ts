import { Hono } from 'hono'
import type { WSContext as HonoWSContext, WSMessageReceive as HonoWSMessageReceive } from 'hono/ws'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createNodeWebSocket, upgradeWebSocket } from '../src/index.ts'

describe('drop-in types for @hono/node-ws and @hono/node-server', () => {
  it("type-checks handlers annotated with hono/ws's types, for the default and an instance's upgradeWebSocket", async () => {
    const app = new Hono()
    const helper = createNodeWebSocket({ app })
    for (const upgrade of [upgradeWebSocket, helper.upgradeWebSocket]) {
      app.get(
        '/ws',
        upgrade(() => ({
          onOpen(evt: Event, ws) {
            ws.send(evt.type)
          },
          onMessage(event: MessageEvent<HonoWSMessageReceive>, ws) {
            ws.send(typeof event.data === 'string' ? event.data : 'binary')
          },
          onClose(evt: CloseEvent, ws) {
            console.log(evt.code, ws.readyState)
          },
          onError(evt: Event, ws: HonoWSContext) {
            console.log(evt.type, ws.url)
          },
        }))
      )
      app.get('/direct', (c) =>
        upgrade(c, {
          onMessage: (event: MessageEvent<HonoWSMessageReceive>, ws: HonoWSContext) =>
            ws.send(String(event.data)),
        })
      )
      upgrade(() => ({
        onMessage(evt, ws) {
          expectTypeOf(evt.data).toEqualTypeOf<string | ArrayBuffer>()
          ws.send(evt.data)
        },
      }))
    }
    expect((await app.request('/nothing')).status).toBe(404)
  })
})
