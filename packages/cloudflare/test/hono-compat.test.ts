import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import type { WSContext as HonoWSContext, WSMessageReceive as HonoWSMessageReceive } from 'hono/ws'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { upgradeWebSocket } from '../src/index.ts'

/** The names an entry point's `index.d.ts` (or our `index.ts`) exports, types included. */
function exportedNames(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((n) => n.trim().replace(/^type\s+/, ''))
      .filter(Boolean)
      .map((n) => n.split(/\s+as\s+/).pop()!)
  )
}
const honoRoot = dirname(dirname(dirname(createRequire(import.meta.url).resolve('hono'))))
const webSocketRelated = (name: string) => /websocket|^upgrade/i.test(name)

describe('drop-in for hono/cloudflare-workers', () => {
  it('exports every WebSocket name that hono/cloudflare-workers exports', () => {
    const theirs = exportedNames(join(honoRoot, 'dist/types/adapter/cloudflare-workers/index.d.ts')).filter(
      webSocketRelated
    )
    expect(theirs).toContain('upgradeWebSocket')
    const ours = exportedNames(join(import.meta.dirname, '../src/index.ts'))
    expect(theirs.filter((n) => !ours.includes(n))).toEqual([])
  })

  it("type-checks handlers annotated with hono/ws's types, in both forms", async () => {
    const app = new Hono()
      .get(
        '/ws',
        upgradeWebSocket(() => ({
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
      .get('/direct', (c) =>
        upgradeWebSocket(c, {
          onMessage: (event: MessageEvent<HonoWSMessageReceive>, ws: HonoWSContext) =>
            ws.send(String(event.data)),
          onClose: (evt: CloseEvent, ws: HonoWSContext) => console.log(evt.reason, ws.protocol),
        })
      )
      .get(
        '/with-options',
        upgradeWebSocket(
          () => ({
            onMessage: (event: MessageEvent<HonoWSMessageReceive>, ws: HonoWSContext) =>
              ws.send(String(event.data)),
          }),
          { protocols: ['chat'] }
        )
      )
    // Unannotated handlers still get core's narrower events.
    upgradeWebSocket(() => ({
      onMessage(evt, ws) {
        expectTypeOf(evt.data).toEqualTypeOf<string | ArrayBuffer>()
        ws.send(evt.data)
      },
    }))
    expect((await app.request('/ws')).status).toBe(404)
  })
})
