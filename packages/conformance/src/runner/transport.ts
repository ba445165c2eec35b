import { type Client, type ConnectOptions, connect } from './client.ts'
import type { ServerProcess } from './spawn.ts'

/**
 * How the scenarios reach the server under test: WebSocket connections and HTTP requests. Over real sockets to a
 * runtime process by default; a test helper that runs the app in this process provides its own (in-memory).
 */
export interface ConformanceTransport {
  /** Opens a client connection to `url` (`ws://127.0.0.1:PORT/…`); rejects with `HandshakeRefused` when refused. */
  connect(url: string, options?: ConnectOptions): Promise<Client>
  /** An HTTP request to `url` (`http://127.0.0.1:PORT/…`). */
  fetch(url: string, init?: RequestInit): Promise<Response>
}

/**
 * A fixture app served in this process through an in-memory transport (`@honokit/ws-testing`): the runner starts
 * nothing. Scenarios that need a real TCP socket are skipped through the `rawSocket` capability its harness declares.
 */
export interface InProcessTarget extends ConformanceTransport {
  /** The port written in URLs (the `Host` the app sees); nothing listens on it. Default 3000. */
  port?: number
  /** Everything the server side wrote so far (its logger's lines), for the scenarios that check the server's log. */
  output(): string
}

/** What the runner drives: a transport plus the server's port and output. */
export interface Target extends ConformanceTransport {
  port: number
  /** The last part of the server's output (for failure messages). */
  output(): string
  /** All of the server's output. */
  fullOutput(): string
  /** Set once a server process has exited: its code or signal. */
  exited(): string | undefined
}

/** A spawned runtime process, reached over real sockets. */
export function processTarget(server: ServerProcess): Target {
  return {
    port: server.port,
    connect,
    fetch: (url, init) => fetch(url, init),
    output: () => server.output(),
    fullOutput: () => server.fullOutput(),
    exited: () => server.exited(),
  }
}

/** An in-process target, as the runner drives it. */
export function inProcessTarget(target: InProcessTarget): Target {
  return {
    port: target.port ?? 3000,
    connect: (url, options) => target.connect(url, options),
    fetch: (url, init) => target.fetch(url, init),
    output: () => target.output().slice(-4000),
    fullOutput: () => target.output(),
    exited: () => undefined,
  }
}
