import { describe, expect, it } from 'vitest'
import { exportedNames, honoAnnotatedApp, honoWebSocketExports } from '../../../tests/hono-compat.ts'
import { type UpgradeWebSocketOptions, upgradeWebSocket } from '../src/index.ts'

describe('drop-in for hono/deno', () => {
  it('exports every WebSocket name that hono/deno exports', () => {
    const theirs = honoWebSocketExports('deno', import.meta.url)
    expect(theirs).toContain('upgradeWebSocket')
    const ours = exportedNames(new URL('../src/index.ts', import.meta.url).pathname)
    expect(theirs.filter((n) => !ours.includes(n))).toEqual([])
  })

  it("type-checks handlers annotated with hono/ws's types, in both forms", async () => {
    const app = honoAnnotatedApp(upgradeWebSocket, { protocols: ['chat'] })
    expect((await app.request('/ws')).status).toBe(404)
  })

  it("takes Deno.UpgradeWebSocketOptions' fields under the UpgradeWebSocketOptions name", () => {
    const options: UpgradeWebSocketOptions = { protocol: 'chat', idleTimeout: 30 }
    expect(typeof upgradeWebSocket(() => ({}), options)).toBe('function')
  })
})
