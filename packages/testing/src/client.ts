import type { MemorySocket } from './pair.ts'
import { type ConnectOptions, type FetchApp, type OpenedConnection, openConnection } from './upgrade.ts'

/** A message as the client received it: text as `string`, binary as an `ArrayBuffer`. */
export type TestMessage = string | ArrayBuffer

/** How a connection ended, as the client saw it. */
export interface TestClose {
  code: number
  reason: string
  wasClean: boolean
}

/** Options of one wait. */
export interface WaitOptions {
  /** Milliseconds before the wait fails (default: the client's `timeout`); `Infinity` waits for ever. */
  timeout?: number
}

/** A wait that did not end in time: says what it waited for and what had arrived by then. */
export class TestTimeoutError extends Error {
  override name = 'TestTimeoutError'
}

const DEFAULT_TIMEOUT = 2000

/** A short description of messages, for failure messages. */
function describe(messages: readonly TestMessage[]): string {
  if (messages.length === 0) return 'none'
  const shown = messages
    .slice(-3)
    .map((m) =>
      typeof m === 'string'
        ? JSON.stringify(m.length > 60 ? `${m.slice(0, 60)}…` : m)
        : `<${m.byteLength} bytes>`
    )
  return `${messages.length}, the last: ${shown.join(', ')}`
}

/**
 * The client side of an in-memory WebSocket connection, for tests: `send`, `close`, await the next message or the
 * close, or iterate messages with `for await`. Every wait fails after the client's timeout with a message that
 * names what it waited for and what arrived.
 */
export class TestClient implements AsyncIterable<TestMessage> {
  /** The URL the client opened (`ws://…`). */
  readonly url: string
  /** The negotiated subprotocol (`''` when none), as the server chose it. */
  readonly protocol: string
  /** The 101's headers: what middleware set (each `Set-Cookie` kept), `Sec-WebSocket-Protocol`, `Sec-WebSocket-Accept`. */
  readonly headers: Headers
  readonly #socket: MemorySocket
  readonly #timeout: number
  readonly #inbox: TestMessage[] = []
  readonly #seen: TestMessage[] = []
  #waiters: (() => void)[] = []
  #close: TestClose | undefined

  constructor(opened: OpenedConnection, options: { timeout?: number } = {}) {
    this.url = opened.url
    this.protocol = opened.protocol
    this.headers = opened.headers
    this.#socket = opened.socket
    this.#timeout = options.timeout ?? DEFAULT_TIMEOUT
    this.#socket.events = {
      message: (data) => {
        this.#inbox.push(data)
        this.#seen.push(data)
        if (this.#seen.length > 3) this.#seen.shift()
        this.#wake()
      },
      close: (code, reason, wasClean) => {
        this.#close = { code, reason, wasClean }
        this.#wake()
      },
    }
  }

  /** 1 open, 2 closing, 3 closed. */
  get readyState(): number {
    return this.#socket.readyState
  }

  /** Sends text, or exactly the bytes of a buffer or view. Nothing once the client is closing. */
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#socket.send(data)
  }

  /** Starts the closing handshake (no code: the server sees 1005) and resolves with the close the client saw. */
  close(code?: number, reason?: string, options?: WaitOptions): Promise<TestClose> {
    this.#socket.close(code, reason)
    return this.closed(options)
  }

  /** Drops the connection without a closing handshake: the server sees 1006. */
  terminate(): void {
    this.#socket.terminate()
  }

  /** Stops reading: messages wait, and the server's `bufferedAmount` grows (a slow consumer). */
  pause(): void {
    this.#socket.pause()
  }

  /** Reads again. */
  resume(): void {
    this.#socket.resume()
  }

  /** Resolves with the next message; fails when the connection closes first or the timeout passes. */
  async next(options?: WaitOptions): Promise<TestMessage> {
    return (await this.take(1, options))[0]!
  }

  /** Resolves with the next message parsed as JSON. */
  async nextJson<T = unknown>(options?: WaitOptions): Promise<T> {
    const m = await this.next(options)
    if (typeof m !== 'string')
      throw new TypeError(`expected a JSON text message, got <${m.byteLength} bytes>`)
    return JSON.parse(m) as T
  }

  /** Resolves with the next `n` messages. */
  async take(n: number, options?: WaitOptions): Promise<TestMessage[]> {
    await this.#until(
      () => this.#inbox.length >= n,
      options,
      () => `${n === 1 ? 'the next message' : `${n} messages`} from ${this.url}`,
      true
    )
    return this.#inbox.splice(0, n)
  }

  /** Removes and returns the messages that arrived and were not taken yet (never waits). */
  takeReceived(): TestMessage[] {
    return this.#inbox.splice(0)
  }

  /** Resolves with the close once the connection is closed (by either side, or dropped: 1006). */
  async closed(options?: WaitOptions): Promise<TestClose> {
    await this.#until(
      () => this.#close !== undefined,
      options,
      () => `the close of ${this.url}`,
      false
    )
    return this.#close!
  }

  /** Yields each message until the connection closes; each wait has the client's timeout. */
  async *[Symbol.asyncIterator](): AsyncGenerator<TestMessage, void, undefined> {
    for (;;) {
      await this.#until(
        () => this.#inbox.length > 0 || this.#close !== undefined,
        undefined,
        () => `the next message or the close of ${this.url}`,
        false
      )
      if (this.#inbox.length === 0) return
      yield this.#inbox.shift()!
    }
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const w of waiters) w()
  }

  async #until(
    done: () => boolean,
    options: WaitOptions | undefined,
    what: () => string,
    failOnClose: boolean
  ): Promise<void> {
    const ms = options?.timeout ?? this.#timeout
    const state = () => {
      const waiting =
        this.#inbox.length > 0 ? `waiting untaken: ${describe(this.#inbox)}` : 'none waiting untaken'
      const closed = this.#close
        ? `closed with ${this.#close.code}${this.#close.reason ? ` "${this.#close.reason}"` : ''}${this.#close.wasClean ? '' : ' (dropped)'}`
        : ['', 'open', 'closing', 'closed'][this.readyState]
      return `received so far: ${this.#seen.length === 0 ? 'nothing' : `the last ${describe(this.#seen)}`}; ${waiting}; the connection is ${closed}`
    }
    const started = Date.now()
    while (!done()) {
      if (failOnClose && this.#close)
        throw new Error(`the connection closed while waiting for ${what()}; ${state()}`)
      const left = ms - (Date.now() - started)
      if (left <= 0) throw new TestTimeoutError(`timed out after ${ms} ms waiting for ${what()}; ${state()}`)
      let timer: ReturnType<typeof setTimeout> | undefined
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve)
        if (Number.isFinite(left)) timer = setTimeout(resolve, left)
      })
      clearTimeout(timer)
    }
  }
}

/**
 * Opens the WebSocket route `path` of `app` in-process, through the app's middleware and the test helper's
 * `upgradeWebSocket`: no server, no port. Rejects with `WebSocketRefusedError` (the app's real status, headers and
 * body) when the app does not upgrade; `refusal()` resolves with it instead.
 * @example
 * const client = await connect(app, '/ws', { query: { room: 'a' }, headers: { Cookie: 'session=1' } })
 * client.send('hello')
 * expect(await client.next()).toBe('hello')
 * expect(await client.close(1000)).toMatchObject({ code: 1000 })
 */
export async function connect(
  app: FetchApp,
  path: string,
  options: ConnectOptions = {}
): Promise<TestClient> {
  return new TestClient(await openConnection(app, path, options), options)
}

/** The answer to an upgrade that was refused. */
export interface TestRefusal {
  status: number
  headers: Headers
  body: string
}

/**
 * Sends the upgrade and resolves with the app's refusal (status, headers, body); fails if the route opened.
 * @example
 * const r = await refusal(app, '/ws', { origin: 'https://evil.example' })
 * expect(r.status).toBe(403)
 */
export async function refusal(
  app: FetchApp,
  path: string,
  options: ConnectOptions = {}
): Promise<TestRefusal> {
  let opened: OpenedConnection
  try {
    opened = await openConnection(app, path, options)
  } catch (e) {
    if (e instanceof Error && e.name === 'WebSocketRefusedError') {
      const { status, headers, body } = e as Error & TestRefusal
      return { status, headers, body }
    }
    throw e
  }
  opened.socket.terminate()
  throw new Error(`expected the upgrade to ${opened.url} to be refused, but it opened`)
}
