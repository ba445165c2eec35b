import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { honoAnnotatedApp } from '../../../tests/hono-compat.ts'
import { createNodeWebSocket, upgradeWebSocket } from '../src/index.ts'

describe('drop-in types for @hono/node-ws and @hono/node-server', () => {
  it("type-checks handlers annotated with hono/ws's types, for the default and an instance's upgradeWebSocket", async () => {
    const instance = createNodeWebSocket({ app: new Hono() })
    for (const upgrade of [upgradeWebSocket, instance.upgradeWebSocket]) {
      const app = honoAnnotatedApp(upgrade, { protocols: ['chat'] })
      expect((await app.request('/ws')).status).toBe(404)
    }
  })
})
