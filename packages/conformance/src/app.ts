import type { UpgradeWebSocket, WSContext } from '@honokit/ws-core'
import { type Context, Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { cors } from 'hono/cors'
import { type Capabilities, capabilityReport } from './capabilities.ts'
import { addLimitRoutes } from './limit-routes.ts'
import { EventLog } from './log.ts'
import { addOriginRoutes } from './origin-routes.ts'
import { createRecording } from './recording.ts'
import { addRfcRoutes } from './rfc-routes.ts'
import { addSendCloseRoutes } from './send-close-routes.ts'

/** Options of `createConformanceApp`. */
export interface ConformanceAppOptions {
  /** What this runtime cannot do, each with its reason; everything not declared must work. */
  capabilities?: Capabilities
  /** Bytes of memory the server process uses now (after a garbage collection where possible), for the churn check. */
  memoryUsage?: () => number | Promise<number>
  /**
   * Names the server instance that runs a connection's handlers, so the hibernation check sees an eviction
   * (default: one name per app, for harnesses that build the app in the object that holds the sockets).
   */
  instanceOf?: (c: Context) => string
}

type AnyUpgrade = UpgradeWebSocket<any, any>

/** What `/stats` reads of one connection. */
export type ConnectionView = Pick<WSContext<any>, 'url' | 'isSubscribed'>

/**
 * A helper instance under test: its `upgradeWebSocket` and the instance API (publish, live view, shutdown). The
 * instance API may answer asynchronously (`size` a promise, the view an async iterable), as when the connections
 * live elsewhere than the HTTP routes (a Worker reaching a Durable Object).
 */
export interface ConformanceHelper {
  upgradeWebSocket: AnyUpgrade
  publish(topic: string, data: string | ArrayBuffer | ArrayBufferView): void | Promise<void>
  connections: (Iterable<ConnectionView> | AsyncIterable<ConnectionView>) & {
    readonly size: number | Promise<number>
  }
  shutdown(options?: { code?: number; reason?: string }): Promise<void>
}

/**
 * The fixture app of the conformance suite: fixed routes, one per behaviour under test, written only against the
 * public API of `upgradeWebSocket`. Serve it on `PORT` in the runtime under test and point the runner at it.
 * @example
 * const helper = createBunWebSocket()
 * const app = createConformanceApp(helper, { capabilities: {} })
 * Bun.serve({ port: Number(process.env.PORT), fetch: app.fetch, websocket: helper.websocket })
 */
export function createConformanceApp(helper: ConformanceHelper, options: ConformanceAppOptions = {}): Hono {
  const { upgradeWebSocket } = helper
  const capabilities = capabilityReport({
    ...(options.memoryUsage
      ? {}
      : { memoryReport: { supported: false, reason: 'the harness reports no memory usage' } }),
    ...options.capabilities,
  })
  const log = new EventLog()
  // Tells one instance of this app from the next (a Durable Object woken after eviction builds a new one).
  const appInstance = Math.random().toString(36).slice(2)
  const instanceOf = options.instanceOf ?? (() => appInstance)
  const app = new Hono()

  app.onError((err, c) => c.text(`conformance onError: ${err.message}`, 500))
  app.get('/health', (c) => c.text('ok'))
  app.get('/capabilities', (c) => c.json(capabilities))
  app.get('/log/:id', (c) => c.json(log.get(c.req.param('id'))))

  const recording = createRecording(log)
  const idOf = (url: string) => new URL(url).searchParams.get('id') ?? 'anonymous'

  // Middleware form; a request that is not an upgrade falls through to the next handler.
  app.get(
    '/ws/echo',
    upgradeWebSocket((c) => recording(idOf(c.req.url))),
    (c) => c.text('fallthrough')
  )

  // Direct form.
  app.get('/ws/direct', (c) => upgradeWebSocket(c, recording(idOf(c.req.url))))

  // Auth before the upgrade: a refusal must reach the client with its status, headers and body.
  app.get(
    '/ws/auth',
    async (c, next) => {
      if (c.req.query('token') !== 'letmein') {
        c.header('WWW-Authenticate', 'Bearer realm="conformance"')
        return c.json({ error: 'unauthorized', hint: 'pass ?token=letmein' }, 401)
      }
      await next()
    },
    upgradeWebSocket((c) => recording(idOf(c.req.url)))
  )

  // Headers set by middleware before the upgrade.
  app.get(
    '/ws/headers',
    async (c, next) => {
      c.header('X-Conformance', 'yes')
      setCookie(c, 'first', '1')
      setCookie(c, 'second', '2')
      await next()
    },
    upgradeWebSocket((c) => recording(idOf(c.req.url)))
  )

  // Headers set by middleware after the upgrade handler returned, as secureHeaders() and timing() do.
  app.get(
    '/ws/late-headers',
    async (c, next) => {
      await next()
      c.res.headers.set('X-Late', 'after-next')
    },
    upgradeWebSocket((c) => recording(idOf(c.req.url)))
  )

  // Header-touching middleware on the route (cross-origin on purpose).
  app.use('/ws/cors', cors({ origin: '*' }))
  app.get(
    '/ws/cors',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), { allowedOrigins: '*' })
  )

  // createEvents is async and slow; the client sends at once.
  app.get(
    '/ws/async',
    upgradeWebSocket(async (c) => {
      await new Promise((r) => setTimeout(r, 50))
      return recording(idOf(c.req.url))
    })
  )

  // createEvents throws: Hono's onError answers, no socket.
  app.get(
    '/ws/create-throws',
    upgradeWebSocket(() => {
      throw new Error('createEvents failed on purpose')
    })
  )

  // Subprotocols: default choice, server preference, function choice.
  app.get(
    '/ws/protocols/default',
    upgradeWebSocket((c) => recording(idOf(c.req.url)))
  )
  app.get(
    '/ws/protocols/prefer-b',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), { protocols: ['b', 'a'] })
  )
  app.get(
    '/ws/protocols/last',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), {
      protocols: (offered: readonly string[]) => offered.at(-1),
    })
  )

  // The server closes in onOpen with ?code=&reason= (none given: ws.close()).
  app.get(
    '/ws/server-close',
    upgradeWebSocket((c) => {
      const code = c.req.query('code')
      const reason = c.req.query('reason')
      return recording(idOf(c.req.url), {
        onOpen(_e, ws) {
          if (code === undefined && reason === undefined) ws.close()
          else ws.close(code === undefined ? undefined : Number(code), reason)
          if (c.req.query('twice')) ws.close(4004, 'second')
          log.add(idOf(c.req.url), { event: 'after-close-call', readyState: ws.readyState })
        },
      })
    })
  )

  addSendCloseRoutes(app, upgradeWebSocket, log, recording, idOf)

  // ws.data: the application's per-connection place, kept across handlers.
  app.get(
    '/ws/data',
    upgradeWebSocket((c) => {
      const id = idOf(c.req.url)
      return {
        onOpen(_e, ws) {
          ws.data.count = 0
          ws.data.owner = id
        },
        onMessage(_e, ws) {
          ws.data.count = (ws.data.count as number) + 1
          ws.send(`${ws.data.owner}:${ws.data.count}`)
        },
        onClose(_e, ws) {
          log.add(id, { event: 'close', data: { ...ws.data } })
        },
      }
    })
  )

  // State that must survive hibernation: url (with query), protocol and ws.data, read back on every message.
  app.get(
    '/ws/hibernate',
    upgradeWebSocket((c) => {
      const query = c.req.query('q')
      const instance = instanceOf(c)
      return {
        onOpen(_e, ws) {
          ws.data.note = 'set in onOpen'
          ws.data.opens = ((ws.data.opens as number | undefined) ?? 0) + 1
        },
        onMessage(e, ws) {
          ws.data.messages = ((ws.data.messages as number | undefined) ?? 0) + 1
          ws.send(
            JSON.stringify({
              instance,
              got: e.data,
              query,
              url: ws.url?.href,
              protocol: ws.protocol,
              data: ws.data,
            })
          )
        },
      }
    })
  )

  // send() of one Uint8Array filled again after each send, as a reader into a fixed buffer does.
  app.get(
    '/ws/reused-buffer',
    upgradeWebSocket(() => ({
      onMessage(_evt, ws) {
        const small = new Uint8Array(4)
        for (let i = 0; i < 5; i++) {
          small.fill(i)
          ws.send(small)
        }
        const big = new Uint8Array(100_000).fill(1)
        ws.send(big)
        big.fill(9)
      },
    }))
  )

  // send() with the compress option.
  app.get(
    '/ws/compress',
    upgradeWebSocket(() => ({
      onMessage(evt, ws) {
        ws.send(evt.data, { compress: true })
      },
    }))
  )

  // Errors: ?in=open|message|close&mode=sync|async&value=error|string; ?onerror=throw|reject makes onError fail too.
  app.get(
    '/ws/throw',
    upgradeWebSocket((c) => {
      const id = idOf(c.req.url)
      const where = c.req.query('in')
      const mode = c.req.query('mode')
      const onErrorMode = c.req.query('onerror')
      const value = c.req.query('value')
      const fail = (handler: string): void | Promise<void> => {
        const thrown = value === 'string' ? `thrown-string-${handler}` : new Error(`boom in ${handler}`)
        if (mode === 'async')
          return new Promise((_, reject) => setTimeout(() => reject(thrown), 5)).then(() => undefined)
        throw thrown
      }
      return recording(id, {
        onOpen: () => (where === 'open' ? fail('onOpen') : undefined),
        onMessage: (evt, ws) => (where === 'message' ? fail('onMessage') : ws.send(evt.data)),
        onClose: () => (where === 'close' ? fail('onClose') : undefined),
        onError: () => {
          if (onErrorMode === 'throw') throw new Error('onError threw too')
          if (onErrorMode === 'reject') return Promise.reject(new Error('onError rejected too'))
        },
      })
    })
  )

  addLimitRoutes(app, helper, log, recording, idOf, options, capabilities)
  addOriginRoutes(app, helper, recording, idOf)
  addRfcRoutes(app, helper, recording, idOf)
  return app
}
