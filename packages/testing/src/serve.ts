/** @module Serve a Hono app on a free port of the current runtime (Node, Bun or Deno), for tests that need a real socket. */

/** Anything with a `fetch` like a Hono app's. */
export interface ServeApp {
  fetch(request: Request, ...rest: any[]): Response | Promise<Response>
}

/** The runtime `serveOnFreePort` serves on. */
export type ServeRuntime = 'node' | 'bun' | 'deno'

/** Options of `serveOnFreePort`. */
export interface ServeOnFreePortOptions {
  /**
   * The helper instance the app's routes use. Only Bun needs it: `Bun.serve` takes the instance's `websocket`
   * handler (`createBunWebSocket()`); without it the default one of `@honokit/ws-bun` is used. Node and Deno accept
   * upgrades from any instance of their adapter.
   */
  helper?: { websocket?: unknown }
  /** The interface to listen on (default `127.0.0.1`). */
  hostname?: string
  /** A port to use instead of one the system picks (default `0`: a free one). */
  port?: number
}

/** An app served on a real port: where to reach it and how to stop it. */
export interface ServedApp {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string
  /** `ws://127.0.0.1:<port>`, the same origin for WebSocket clients. */
  wsUrl: string
  port: number
  runtime: ServeRuntime
  /** Closes the listener and drops the connections still open (call the helper's `shutdown()` first to close them with a handshake). */
  stop(): Promise<void>
}

interface BunServerLike {
  port: number
  stop(closeActiveConnections?: boolean): void | Promise<void>
}
interface BunLike {
  serve(options: {
    port: number
    hostname: string
    fetch: ServeApp['fetch']
    websocket: unknown
  }): BunServerLike
}
interface DenoServerLike {
  addr: { port: number }
  shutdown(): Promise<void>
  finished: Promise<void>
}
interface DenoServeLike {
  serve(
    options: { port: number; hostname: string; signal: AbortSignal; onListen(addr: { port: number }): void },
    handler: (request: Request, info: unknown) => Response | Promise<Response>
  ): DenoServerLike
}

const runtimeGlobals = globalThis as {
  Bun?: BunLike
  Deno?: DenoServeLike
  process?: { versions?: { node?: string } }
}

/** The runtime this code runs on. Bun and Deno are checked first: both also set `process.versions.node`. */
export function currentRuntime(): ServeRuntime | undefined {
  if (typeof runtimeGlobals.Bun?.serve === 'function') return 'bun'
  if (typeof runtimeGlobals.Deno?.serve === 'function') return 'deno'
  if (runtimeGlobals.process?.versions?.node) return 'node'
  return undefined
}

function served(runtime: ServeRuntime, hostname: string, port: number, stop: () => Promise<void>): ServedApp {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  let stopping: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    port,
    runtime,
    stop: () => {
      stopping ??= stop()
      return stopping
    },
  }
}

const missing = (pkg: string, runtime: string, error: unknown) =>
  new Error(
    `serveOnFreePort() on ${runtime} serves the app with ${pkg}, which could not be loaded: install it in your ` +
      `project (\`npm install ${pkg}\`), and build the app's routes with its upgradeWebSocket.`,
    { cause: error }
  )

/**
 * Loads the adapter `pkg`: from here, else from the project the tests run in (it is the app's dependency, not this
 * package's, so a strict layout such as pnpm's may not let this package see it).
 */
async function load<T>(pkg: string, runtime: string): Promise<T> {
  try {
    return (await import(pkg)) as T
  } catch (error) {
    try {
      const { createRequire } = await import('node:module')
      const { pathToFileURL } = await import('node:url')
      const resolved = createRequire(`${process.cwd()}/`).resolve(pkg)
      return (await import(pathToFileURL(resolved).href)) as T
    } catch {
      throw missing(pkg, runtime, error)
    }
  }
}

async function serveNode(app: ServeApp, hostname: string, port: number): Promise<ServedApp> {
  const { createNodeWebSocket, serve } = await load<typeof import('@honokit/ws-node')>(
    '@honokit/ws-node',
    'Node'
  )
  const server = serve({ fetch: app.fetch.bind(app), port, hostname })
  // Any @honokit/ws-node instance (the default one too) accepts the upgrades this one dispatches; with no limit of
  // its own, the limit `ws` reads with is the one of the instance that accepted.
  createNodeWebSocket({ maxPayload: Number.POSITIVE_INFINITY }).injectWebSocket(server)
  const upgraded = new Set<{ destroy(): void }>()
  server.on('upgrade', (_req, socket) => {
    upgraded.add(socket)
    socket.once('close', () => upgraded.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve()
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const address = server.address() as { port: number }
  return served('node', hostname, address.port, async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    // Upgraded sockets and keep-alive HTTP connections would hold close() open (closeAllConnections: Node 18.2+).
    for (const socket of upgraded) socket.destroy()
    ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
    await closed
  })
}

async function serveBun(
  bun: BunLike,
  app: ServeApp,
  options: ServeOnFreePortOptions,
  hostname: string,
  port: number
): Promise<ServedApp> {
  const websocket =
    options.helper?.websocket ?? (await load<{ websocket: unknown }>('@honokit/ws-bun', 'Bun')).websocket
  const server = bun.serve({ port, hostname, fetch: (request, s) => app.fetch(request, s), websocket })
  return served('bun', hostname, server.port, async () => {
    // true: open WebSocket and HTTP connections are closed now rather than waited for.
    await server.stop(true)
  })
}

async function serveDeno(
  deno: DenoServeLike,
  app: ServeApp,
  hostname: string,
  port: number
): Promise<ServedApp> {
  const abort = new AbortController()
  let listening!: (port: number) => void
  const ready = new Promise<number>((resolve) => {
    listening = resolve
  })
  const server = deno.serve(
    { port, hostname, signal: abort.signal, onListen: ({ port }) => listening(port) },
    (request, info) => app.fetch(request, info)
  )
  const actual = await ready
  return served('deno', hostname, actual, async () => {
    abort.abort()
    await server.finished
  })
}

/**
 * Serves `app` on a free port of the runtime this code runs on, with the honokit adapter of that runtime: Node
 * (`serve` from `@honokit/ws-node`), Bun (`Bun.serve` with the helper's `websocket`) or Deno
 * (`Deno.serve`). The app's routes use `upgradeWebSocket` from that adapter. Resolves once it listens.
 * @example
 * const server = await serveOnFreePort(app)
 * const ws = new WebSocket(`${server.wsUrl}/ws`)
 * // …
 * await server.stop()
 */
export async function serveOnFreePort(
  app: ServeApp,
  options: ServeOnFreePortOptions = {}
): Promise<ServedApp> {
  if (typeof app?.fetch !== 'function')
    throw new TypeError(
      'serveOnFreePort(app): app must be a Hono app (or anything with a fetch(request) method).'
    )
  const hostname = options.hostname ?? '127.0.0.1'
  const port = options.port ?? 0
  const runtime = currentRuntime()
  if (runtime === 'bun') return serveBun(runtimeGlobals.Bun!, app, options, hostname, port)
  if (runtime === 'deno') return serveDeno(runtimeGlobals.Deno!, app, hostname, port)
  if (runtime === 'node') return serveNode(app, hostname, port)
  throw new Error(
    'serveOnFreePort() runs on Node, Bun or Deno; this runtime has none of them (on Cloudflare Workers, test ' +
      'in-process with connect(app, path), or through Miniflare).'
  )
}
