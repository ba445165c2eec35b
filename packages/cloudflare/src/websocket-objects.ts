import {
  createWebSocketHub,
  defineWebSocketHelper,
  type UpgradeWebSocket,
  type WSEvents,
  type WSProtocolSelector,
} from '@honokit/ws-core/adapter'
import { Context, type MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { CloudflareWebSocketLike, DurableObjectStateLike } from './cloudflare-like.ts'
import { switchingProtocols } from './cloudflare-like.ts'
import {
  createDurableWebSocket,
  type DurableUpgradeOptions,
  type DurableWebSocket,
  type DurableWebSocketOptions,
} from './durable-object.ts'
import { enterRoom, type ObjectRoom, objectRoom } from './room-of.ts'
import {
  answerRoomRequest,
  INSTANCE,
  type NamespaceLike,
  OPERATION,
  type Room,
  roomClient,
} from './room-requests.ts'
import { WORKERD_LIMITS } from './runtime-limits.ts'

type Socket = CloudflareWebSocketLike
type CreateEvents = (c: Context) => WSEvents<Socket> | Promise<WSEvents<Socket>>

/** Options of a forwarded route: the core options, the object's `tags`, and which object (`room`) runs it. */
export interface ObjectRouteOptions extends DurableUpgradeOptions {
  /**
   * The name of the Durable Object that runs this connection (`idFromName`): connections with the same name share
   * one object, its `connections`, topics and module state. Default: the route's path (`/ws`, `/chat/:room`), so
   * one object per route. A function of the request for rooms: `(c) => c.req.param('room')`.
   */
  room?: (c: Context) => string | undefined | Promise<string | undefined>
}

/** Options of `createWebSocketObjects`: the binding's name, plus the settings of every object it runs. */
export interface WebSocketObjectsOptions extends Omit<DurableWebSocketOptions, 'env'> {
  /** The Durable Object binding the Worker forwards upgrades to (default `WEBSOCKETS`). */
  binding?: string
  /** The `room` of every route that sets none (default: the route's path, one object per route). */
  room?: ObjectRouteOptions['room']
}

/** An instance of the Durable Object class the routes run in (extend it: `export class WebSockets extends WebSocketObject {}`). */
export interface WebSocketObjectInstance<Env = unknown> {
  /** The object's state (`DurableObjectState`). */
  readonly ctx: DurableObjectStateLike & { readonly [key: string]: any }
  readonly env: Env
  /** This object's sockets: `connections`, `tagged()`, `publish()`, `shutdown()`. */
  readonly sockets: DurableWebSocket
  fetch(request: Request): Promise<Response>
  webSocketMessage(ws: Socket, message: string | ArrayBuffer): void
  webSocketClose(ws: Socket, code: number, reason: string, wasClean: boolean): void
  webSocketError(ws: Socket, error: unknown): void
}

/** The Durable Object class of a `createWebSocketObjects` instance. */
export type WebSocketObjectClass = new <Env = unknown>(ctx: any, env: Env) => WebSocketObjectInstance<Env>

/** WebSocket routes that run in Durable Objects: the Worker-side `upgradeWebSocket` and the object class. */
export interface WebSocketObjects {
  /** `upgradeWebSocket` whose handlers run, with hibernation, in the Durable Object that `room` names. */
  upgradeWebSocket: UpgradeWebSocket<Socket, ObjectRouteOptions>
  /** The class to export from the Worker's main module and bind in the wrangler config. */
  WebSocketObject: WebSocketObjectClass
  /**
   * The room (Durable Object) `name` seen from a plain HTTP route of the Worker: `publish`, `connections`, `stats`
   * and `shutdown`, each one request to the object. `env` is the Worker's env (`c.env`) or a Hono context.
   */
  room(env: unknown, name: string): Room
}

interface Route {
  createEvents: CreateEvents
  options: DurableUpgradeOptions
}

// The forwarded request tells the object which instance and route it is for, the route parameters and the
// subprotocol the Worker negotiated; the object marks its answer so a foreign class bound by mistake is recognised.
const ROUTE = 'x-honokit-ws-route'
const PARAMS = 'x-honokit-ws-params'
const PROTOCOL = 'x-honokit-ws-protocol'
const ANSWERED = 'x-honokit-ws-object'
const ROUTE_INDEX = Symbol('honokit.ws.route')

const forwardedProtocol: WSProtocolSelector = (_offered, c) => c.req.header(PROTOCOL) || false
let instances = 0

const setup = (binding: string) =>
  `Add the binding to wrangler.jsonc: "durable_objects": { "bindings": [{ "name": "${binding}", "class_name": ` +
  `"WebSockets" }] }, "migrations": [{ "tag": "v1", "new_sqlite_classes": ["WebSockets"] }] (wrangler.toml: ` +
  `[[durable_objects.bindings]] name = "${binding}", class_name = "WebSockets"), and export the class from the ` +
  "Worker's main module: export class WebSockets extends WebSocketObject {}."

function namespaceOf(c: { env?: unknown }, binding: string): NamespaceLike {
  const env = c.env as Record<string, unknown> | undefined
  const ns = env?.[binding] as Partial<NamespaceLike> | undefined
  if (typeof ns?.idFromName === 'function' && typeof ns.get === 'function') return ns as NamespaceLike
  const why = !env
    ? 'the app was called without env (app.fetch(request, env, ctx) passes it; so does `export default app`)'
    : ns === undefined
      ? `the Worker's env has no \`${binding}\` (it has: ${Object.keys(env).join(', ') || 'nothing'})`
      : `env.${binding} is not a Durable Object namespace`
  return fail(
    `upgradeWebSocket from '@honokit/ws-cloudflare/durable' runs this WebSocket route in a Durable Object bound ` +
      `as \`${binding}\`, but ${why}. ${setup(binding)}`
  )
}

function fail(message: string): never {
  throw new Error(message)
}

/**
 * Creates WebSocket routes whose handlers run in Durable Objects with hibernation, from an unchanged Worker app: the
 * Worker checks the handshake and forwards each upgrade to the object that `room` names (default: one per route);
 * the object runs the route's `createEvents`. Plain HTTP routes stay in the Worker.
 * @example
 * const { upgradeWebSocket, WebSocketObject } = createWebSocketObjects({ binding: 'CHAT', maxPayload: 64 * 1024 })
 * app.get('/chat/:room', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) }), { room: (c) => c.req.param('room') }))
 * export class Chat extends WebSocketObject {}
 */
export function createWebSocketObjects(options: WebSocketObjectsOptions = {}): WebSocketObjects {
  const { binding = 'WEBSOCKETS', room: defaultRoom, ...objectOptions } = options
  const { broker: _broker, autoResponse: _autoResponse, ...handshakeOptions } = objectOptions
  const id = String(++instances)
  const routes: Route[] = []
  // The Worker's half only checks the handshake (400/426/403, subprotocol); connections live in the objects.
  const hub = createWebSocketHub(handshakeOptions, {
    ...WORKERD_LIMITS,
    optionNames: { route: ['room', 'tags'] },
  })

  const forward = defineWebSocketHelper<Socket, ObjectRouteOptions>(async (c, _events, opts, upgrade) => {
    const index = (opts as { [ROUTE_INDEX]?: number } | undefined)?.[ROUTE_INDEX] ?? -1
    const ns = namespaceOf(c, binding)
    const roomOf = opts?.room ?? defaultRoom
    const name = roomOf ? await roomOf(c) : routePath(c)
    if (typeof name !== 'string' || name === '') {
      fail(
        `the room option of upgradeWebSocket returned ${JSON.stringify(name)} for ${c.req.url}: return a non-empty string (the object's name).`
      )
    }
    const headers = new Headers(c.req.raw.headers)
    headers.set(INSTANCE, id)
    headers.set(ROUTE, String(index))
    headers.set(PARAMS, encodeURIComponent(JSON.stringify(c.req.param() ?? {})))
    headers.set(PROTOCOL, upgrade.protocol)
    const res = await ns
      .get(ns.idFromName(name))
      .fetch(new Request(c.req.url, { method: c.req.method, headers }))
    if (!res.headers.has(ANSWERED)) {
      fail(
        `the Durable Object bound as \`${binding}\` did not answer as a WebSocketObject (status ${res.status}): ` +
          `the binding's class_name must name a class exported from the Worker's main module that extends ` +
          `WebSocketObject from '@honokit/ws-cloudflare/durable'. ${setup(binding)}`
      )
    }
    const webSocket = (res as { webSocket?: Socket | null }).webSocket
    // The 101 carries what the Worker's middleware set and the subprotocol; a refusal from the object (503) passes.
    if (res.status === 101 && webSocket)
      return switchingProtocols(webSocket, upgrade.headers, hub.options.perMessageDeflate === true)
    const out = new Response(res.body, res)
    out.headers.delete(ANSWERED)
    return out
  }, hub)

  const upgradeWebSocket = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') {
      return Promise.reject(
        new Error(
          "upgradeWebSocket(c, events) from '@honokit/ws-cloudflare/durable' cannot move its handlers into a " +
            'Durable Object (they belong to this request): use the middleware form upgradeWebSocket((c) => events, ' +
            "options) after your checks, e.g. app.get('/ws', auth, upgradeWebSocket(...))."
        )
      )
    }
    const [createEvents, given] = args as [CreateEvents, ObjectRouteOptions | undefined]
    const { room: _room, ...routeOptions } = given ?? {}
    // The object re-runs the handshake checks; the subprotocol is the one the Worker chose (its function may have
    // read the Worker's context).
    const index =
      routes.push({ createEvents, options: { ...routeOptions, protocols: forwardedProtocol } }) - 1
    return forward(() => ({}), { ...given, [ROUTE_INDEX]: index } as ObjectRouteOptions)
  }) as UpgradeWebSocket<Socket, ObjectRouteOptions>

  class WebSocketObject<Env = unknown> implements WebSocketObjectInstance<Env> {
    readonly ctx: DurableObjectStateLike & { readonly [key: string]: any }
    readonly env: Env
    readonly sockets: DurableWebSocket
    readonly #routes: MiddlewareHandler[] = []
    readonly #room: ObjectRoom

    constructor(ctx: any, env: Env) {
      this.ctx = ctx
      this.env = env
      this.sockets = createDurableWebSocket(ctx, { ...objectOptions, env })
      this.#room = objectRoom(this.sockets, ctx)
      this.#register()
    }

    /** Registers the routes in definition order, the order a woken object finds each socket's handlers by. */
    #register() {
      const room = this.#room
      while (this.#routes.length < routes.length) {
        const route = routes[this.#routes.length]!
        const createEvents: CreateEvents = (c) => {
          enterRoom(c, room)
          return route.createEvents(c)
        }
        this.#routes.push(this.sockets.upgradeWebSocket(createEvents, route.options))
      }
    }

    async fetch(request: Request): Promise<Response> {
      this.#register()
      const instance = request.headers.get(INSTANCE)
      if (instance === id && request.headers.has(OPERATION)) {
        const res = await answerRoomRequest(request, this.sockets, this.ctx)
        res.headers.set(ANSWERED, '1')
        return res
      }
      const route = this.#routes[Number(request.headers.get(ROUTE))]
      if (instance !== id || !route) {
        fail(
          instance === null
            ? 'this WebSocketObject only answers WebSocket upgrades forwarded by upgradeWebSocket from ' +
                "'@honokit/ws-cloudflare/durable'; route other requests in the Worker."
            : 'the class bound here extends the WebSocketObject of another createWebSocketObjects() instance than ' +
                'the upgradeWebSocket that forwarded this request: export the WebSocketObject returned together ' +
                'with that upgradeWebSocket.'
        )
      }
      const params = JSON.parse(decodeURIComponent(request.headers.get(PARAMS) ?? '%7B%7D')) as Record<
        string,
        string
      >
      const c = new Context(request, { env: this.env })
      // The request was routed in the Worker: answer c.req.param() from the parameters it matched.
      ;(c.req as { param: unknown }).param = (key?: string) =>
        key === undefined ? { ...params } : params[key]
      const res = (await route(c, async () => {})) as Response | undefined
      if (!res) fail('the request forwarded to the WebSocketObject was not a WebSocket upgrade.')
      // The connection opens on a 0 ms timer after the upgrade; let it fire before the 101 leaves, so onOpen has
      // run (a module-level Set holds the socket) before its client can send and before others can reach it.
      // Without this, workerd delivered another client's message first (three clients: [3, 2, 1] received).
      if (res.status === 101) await new Promise((resolve) => setTimeout(resolve, 0))
      res.headers.set(ANSWERED, '1')
      return res
    }
    webSocketMessage(ws: Socket, message: string | ArrayBuffer) {
      this.#register()
      this.sockets.webSocketMessage(ws, message)
    }
    webSocketClose(ws: Socket, code: number, reason: string, wasClean: boolean) {
      this.#register()
      this.sockets.webSocketClose(ws, code, reason, wasClean)
    }
    webSocketError(ws: Socket, error: unknown) {
      this.#register()
      this.sockets.webSocketError(ws, error)
    }
  }

  const room = (env: unknown, name: string): Room => {
    // A Hono context carries the env as `c.env`; anything else is taken as the env itself.
    const holder = env instanceof Context ? env : { env }
    if (typeof name !== 'string' || name === '')
      fail(`room(env, name) needs the room's name, a non-empty string; got ${JSON.stringify(name)}.`)
    return roomClient(namespaceOf(holder, binding), name, id, binding)
  }

  return { upgradeWebSocket, WebSocketObject: WebSocketObject as WebSocketObjectClass, room }
}
