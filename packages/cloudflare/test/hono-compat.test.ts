import { describe, expect, it } from 'vitest'
import { exportedNames, honoAnnotatedApp, honoWebSocketExports } from '../../../tests/hono-compat.ts'
import { upgradeWebSocket } from '../src/index.ts'

describe('drop-in for hono/cloudflare-workers', () => {
  it('exports every WebSocket name that hono/cloudflare-workers exports', () => {
    const theirs = honoWebSocketExports('cloudflare-workers', import.meta.url)
    expect(theirs).toContain('upgradeWebSocket')
    const ours = exportedNames(new URL('../src/index.ts', import.meta.url).pathname)
    expect(theirs.filter((n) => !ours.includes(n))).toEqual([])
  })

  it("type-checks handlers annotated with hono/ws's types, in both forms", async () => {
    const app = honoAnnotatedApp(upgradeWebSocket, { protocols: ['chat'] })
    expect((await app.request('/ws')).status).toBe(404)
  })
})
