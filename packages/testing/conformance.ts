// The in-process conformance run: the fixture app on a test helper, every scenario through the in-memory transport
// (no server, no port). Scenarios that need a real TCP socket are skipped through the `rawSocket` capability.
// `pnpm conformance` runs it with --expose-gc, so the churn check measures memory after a GC.
import { createConformanceApp } from '@honokit/ws-conformance'
import {
  type Client,
  type ConnectOptions,
  HandshakeRefused,
  type Received,
  runConformance,
} from '@honokit/ws-conformance/runner'
import {
  connect,
  createTestWebSocket,
  type TestClient,
  type TestMessage,
  WebSocketRefusedError,
} from './src/index.ts'

const output: string[] = []
const helper = createTestWebSocket({
  logger: {
    warn: (message) => output.push(message),
    error: (message, error) => output.push(`${message} ${String(error)}`),
  },
})
const gc = (globalThis as { gc?: () => void }).gc
const app = createConformanceApp(helper, {
  memoryUsage: gc
    ? () => {
        gc()
        return process.memoryUsage().heapUsed
      }
    : undefined,
  capabilities: {
    rawSocket: {
      supported: false,
      reason:
        'in-process: no TCP connection to write hand-made bytes to or to drop (requests go to app.fetch)',
    },
  },
})

const received = (m: TestMessage): Received =>
  typeof m === 'string'
    ? { data: Buffer.from(m, 'utf8'), isBinary: false, text: m }
    : { data: Buffer.from(m), isBinary: true, text: '' }

/** The suite's client over a test client: the same calls the scenarios make on a `ws` client. */
function toClient(c: TestClient): Client {
  const forever = { timeout: Number.POSITIVE_INFINITY }
  return {
    ws: {
      send: (data) => c.send(data),
      close: (code, reason) => void c.close(code, reason, forever),
      terminate: () => c.terminate(),
      pause: () => c.pause(),
      resume: () => c.resume(),
    },
    protocol: c.protocol,
    next: async (ms = 5000) => received(await c.next({ timeout: ms })),
    take: async (n, ms = 5000) => (await c.take(n, { timeout: ms })).map(received),
    drain: () => c.takeReceived().map(received),
    closed: c.closed(forever).then(({ code, reason }) => ({ code, reason })),
  }
}

async function connectInProcess(url: string, options: ConnectOptions = {}): Promise<Client> {
  try {
    return toClient(
      await connect(app, url, {
        headers: options.headers,
        protocols: options.protocols,
        autoPong: options.autoPong,
      })
    )
  } catch (e) {
    if (!(e instanceof WebSocketRefusedError)) throw e
    const headers: Record<string, string | string[]> = {}
    e.headers.forEach((value, name) => {
      headers[name] = value
    })
    const cookies = e.headers.getSetCookie()
    if (cookies.length > 0) headers['set-cookie'] = cookies
    throw new HandshakeRefused(e.status, headers, e.body)
  }
}

const flag = (name: string) => {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}
const filter = flag('--filter')
runConformance({
  name: 'testing',
  target: {
    connect: connectInProcess,
    fetch: async (url, init) => app.fetch(new Request(url, init)),
    output: () => output.join('\n'),
  },
  reportDir: flag('--report-dir') ?? process.env.CONFORMANCE_REPORT_DIR,
  filter: filter ? new RegExp(filter) : undefined,
}).then(
  (summary) => process.exit(summary.failed > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
