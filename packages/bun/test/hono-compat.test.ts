import type { ServerWebSocket } from 'bun'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { exportedNames, honoAnnotatedApp, honoWebSocketExports } from '../../../tests/hono-compat.ts'
import {
  type BunWebSocketData,
  type BunWebSocketHandler,
  createBunWebSocket,
  upgradeWebSocket,
  websocket,
} from '../src/index.ts'

describe('drop-in for hono/bun', () => {
  it('exports every WebSocket name that hono/bun exports', () => {
    const theirs = honoWebSocketExports('bun', import.meta.url)
    expect(theirs).toEqual(
      expect.arrayContaining(['createBunWebSocket', 'upgradeWebSocket', 'websocket', 'BunWebSocketHandler'])
    )
    const ours = exportedNames(new URL('../src/index.ts', import.meta.url).pathname)
    expect(theirs.filter((n) => !ours.includes(n))).toEqual([])
  })

  it("accepts hono/bun's generic spellings: createBunWebSocket<ServerWebSocket>() and BunWebSocketHandler<BunWebSocketData>", () => {
    const helper = createBunWebSocket<ServerWebSocket>()
    const handler: BunWebSocketHandler<BunWebSocketData> = helper.websocket
    expect(typeof handler.open).toBe('function')
    helper.upgradeWebSocket(() => ({
      onOpen(_evt, ws) {
        expectTypeOf(ws.raw).toEqualTypeOf<ServerWebSocket | undefined>()
      },
    }))
    const { upgradeWebSocket: fromDestructured, websocket: ws } =
      createBunWebSocket<ServerWebSocket<{ id: 1 }>>()
    expect(typeof fromDestructured).toBe('function')
    expect(ws.maxPayloadLength).toBeGreaterThan(0)
  })

  it("type-checks handlers annotated with hono/ws's types, in both forms", async () => {
    const app = honoAnnotatedApp(upgradeWebSocket, { protocols: ['chat'] })
    expect((await app.request('/ws')).status).toBe(404)
    expect(typeof websocket.message).toBe('function')
  })
})
