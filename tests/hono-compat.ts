// Shared by each adapter's test/hono-compat.test.ts: what a Hono entry point exports, and routes whose handlers are
// annotated with hono/ws's own types (they must compile against every adapter's upgradeWebSocket).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { UpgradeWebSocket } from '@honokit/ws-core'
import { Hono } from 'hono'
import type { WSContext as HonoWSContext, WSMessageReceive as HonoWSMessageReceive } from 'hono/ws'
import { expectTypeOf } from 'vitest'

/** The names an `index.d.ts` (or an `index.ts`) exports with `export { … }`, types included. */
export function exportedNames(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((n) => n.trim().replace(/^type\s+/, ''))
      .filter(Boolean)
      .map((n) => n.split(/\s+as\s+/).pop()!)
  )
}

/** The WebSocket-related names the installed hono's entry point `hono/<adapter>` exports. */
export function honoWebSocketExports(adapter: 'bun' | 'deno' | 'cloudflare-workers', from: string): string[] {
  const honoRoot = dirname(dirname(dirname(createRequire(from).resolve('hono'))))
  return exportedNames(join(honoRoot, `dist/types/adapter/${adapter}/index.d.ts`)).filter((name) =>
    /websocket|^upgrade/i.test(name)
  )
}

/**
 * An app whose handlers are annotated with hono/ws's types (`MessageEvent<WSMessageReceive>`, `CloseEvent`, `Event`,
 * hono's `WSContext`), in the middleware form, the direct form and with options; unannotated handlers keep core's
 * narrower `string | ArrayBuffer`. The proof is that this compiles (the typecheck step) for the given helper.
 */
export function honoAnnotatedApp<T, U>(upgradeWebSocket: UpgradeWebSocket<T, U>, options: U): Hono {
  const app = new Hono()
  app.get(
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
  app.get('/direct', (c) =>
    upgradeWebSocket(c, {
      onMessage: (event: MessageEvent<HonoWSMessageReceive>, ws: HonoWSContext) =>
        ws.send(String(event.data)),
      onClose: (evt: CloseEvent, ws: HonoWSContext) => console.log(evt.reason, ws.protocol),
    })
  )
  app.get(
    '/with-options',
    upgradeWebSocket(
      () => ({
        onMessage: (event: MessageEvent<HonoWSMessageReceive>, ws: HonoWSContext) =>
          ws.send(String(event.data)),
      }),
      options
    )
  )
  upgradeWebSocket(() => ({
    onMessage(evt, ws) {
      expectTypeOf(evt.data).toEqualTypeOf<string | ArrayBuffer>()
      ws.send(evt.data)
    },
  }))
  // Arrow handlers whose expression returns a value (a chat's client set), as hono/ws's `void` handlers allow.
  const clients = new Set<unknown>()
  let count = 0
  app.get(
    '/returning',
    upgradeWebSocket(() => ({
      onOpen: (_evt, ws) => clients.add(ws),
      onMessage: () => count++,
      onClose: (_evt, ws) => clients.delete(ws),
      onError: async () => count,
    }))
  )
  return app
}
