// Migration suite (issue 11, "Drop-in for the Hono of today"): programs written the way each Hono WebSocket entry
// point is documented, with only the import line changed to a honokit package, installed from the packed tarballs
// into throwaway projects outside the workspace, once with npm's layout and once with pnpm's strict one. For each
// runtime the programs are type-checked the way a user of that runtime would (tsc --strict with @types/node,
// bun-types or @cloudflare/workers-types; `deno check`), then run on the real runtime on a free port, upgraded and
// echoed to a `ws` client, and stopped by PID. Programs that the adapters' READMEs show are read from the README
// (`<!-- migration-test: … -->` markers), so the docs and this suite cannot drift apart.
// `require()` of every package from a CommonJS program is covered by release.test.ts ("CommonJS and ESM consumers").

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { freePort, type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { packPackages, pnpm, publicPackages, root, run, type WorkspacePackage } from './workspace-packages.ts'

const work = mkdtempSync(join(tmpdir(), 'honokit-migration-'))
const workspacePackages = publicPackages()
const manifest = (dir: string) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
const devVersion = (dir: string, name: string): string => {
  const v = manifest(dir).devDependencies?.[name]
  if (!v) throw new Error(`${dir}/package.json has no devDependency ${name}`)
  return v
}
/** The third-party packages a user of all four runtimes installs next to ours, at the workspace's versions. */
const thirdParty = () => ({
  hono: devVersion('packages/core', 'hono'),
  '@hono/node-server': devVersion('packages/node', '@hono/node-server'),
  ws: devVersion('tests', 'ws'),
  '@types/ws': devVersion('tests', '@types/ws'),
  '@types/node': devVersion('.', '@types/node'),
  'bun-types': devVersion('packages/bun', 'bun-types'),
  '@cloudflare/workers-types': devVersion('packages/cloudflare', '@cloudflare/workers-types'),
})

// The runners, not the code under test: the workspace's TypeScript, the real bun and deno binaries from npm
// (not their .bin shims, which do not exec the binary: TOOLCHAIN.md), miniflare + esbuild in tests/fixtures/serve-worker.mjs.
const resolveFrom = (pkg: string, id: string) =>
  createRequire(join(root, 'packages', pkg, 'package.json')).resolve(id)
const tsc = join(root, 'node_modules', '.bin', 'tsc')
const bunBin = () => join(dirname(resolveFrom('bun', 'bun/package.json')), 'bin', 'bun.exe')
const denoBin = () => join(dirname(resolveFrom('deno', 'deno/package.json')), 'deno')
const serveWorker = join(root, 'tests', 'fixtures', 'serve-worker.mjs')

/** The ```ts block after `<!-- migration-test: id` in a package README. */
function readmeProgram(pkg: string, id: string): string {
  const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8')
  const block = readme.split(`<!-- migration-test: ${id} `)[1]?.match(/^[^\n]*\n```ts\n([\s\S]*?)```/)?.[1]
  if (!block)
    throw new Error(`packages/${pkg}/README.md has no \`\`\`ts block after <!-- migration-test: ${id}`)
  return block
}

/** `text` with `from` replaced once; throws when it is not there exactly once (the README changed). */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from)
  if (parts.length !== 2) throw new Error(`expected \`${from}\` exactly once in:\n${text}`)
  return parts.join(to)
}
const portFromEnv = (program: string) => replaceOnce(program, 'port: 3000', 'port: Number(process.env.PORT)')

/**
 * A program with hono/ws's own types on every handler, for `adapter`: what Hono's WebSocket page shows, typed.
 * `messageEvent` is `MessageEvent<WSMessageReceive>`, except under @cloudflare/workers-types, whose `MessageEvent` is
 * not generic (TS2315 with hono/cloudflare-workers too): there a Workers user writes `MessageEvent`.
 */
const honoWsTyped = (
  adapter: string,
  messageEvent = 'MessageEvent<WSMessageReceive>'
) => `import { Hono } from 'hono'
import type { WSContext, WSMessageReceive } from 'hono/ws'
import { upgradeWebSocket } from '${adapter}'

const app = new Hono()
app.get(
  '/ws',
  upgradeWebSocket(() => ({
    onOpen(_event: Event, ws: WSContext) {
      ws.send('Hello from server!')
    },
    onMessage(event: ${messageEvent}, ws: WSContext) {
      console.log(\`Message from client: \${event.data}\`)
      if (typeof event.data === 'string') ws.send(event.data)
    },
    onClose(evt: CloseEvent) {
      console.log('Connection closed', evt.code, evt.reason)
    },
    onError(evt: Event) {
      console.error('error', evt.type)
    },
  }))
)

export default app
`

// Hono's WebSocket helper page, Bun tab, with the generic factory (https://hono.dev/docs/helpers/websocket),
// import line changed; onOpen added to show that the type argument types `ws.raw` as Bun's ServerWebSocket.
const bunGeneric = `import { createBunWebSocket } from '@honokit/ws-bun' // was: 'hono/bun'
import { Hono } from 'hono'
import type { ServerWebSocket } from 'bun'

const { upgradeWebSocket, websocket } = createBunWebSocket<ServerWebSocket>()

const app = new Hono()

app.get(
  '/ws',
  upgradeWebSocket((c) => {
    return {
      onOpen(_event, ws) {
        const raw: ServerWebSocket | undefined = ws.raw
        ws.send(\`remote \${raw?.remoteAddress}\`)
      },
      onMessage(event, ws) {
        console.log(\`Message from client: \${event.data}\`)
        ws.send('Hello from server!')
      },
      onClose: () => {
        console.log('Connection closed')
      },
    }
  })
)

export default {
  fetch: app.fetch,
  websocket,
}
`

// hono/deno's options, as hono/deno documents them (\`protocol\`, \`idleTimeout\` in seconds), import line changed.
const denoOptions = `import { upgradeWebSocket } from '@honokit/ws-deno' // was: 'hono/deno'
import { Hono } from 'hono'

const app = new Hono()

app.get(
  '/ws',
  upgradeWebSocket(
    () => ({
      onMessage(event, ws) {
        ws.send(\`\${ws.protocol}: \${event.data}\`)
      },
    }),
    { protocol: 'chat', idleTimeout: 30 }
  )
)

Deno.serve(app.fetch)
`

/** The programs of each runtime, by file name. */
function programs(): Record<'node' | 'bun' | 'deno' | 'cloudflare', Record<string, string>> {
  return {
    node: {
      'node-serve.ts': portFromEnv(readmeProgram('node', 'node-serve')),
      'node-ws.ts': portFromEnv(readmeProgram('node', 'node-ws')),
      'hono-ws-node.ts': honoWsTyped('@honokit/ws-node'),
    },
    bun: {
      'bun-readme.ts': readmeProgram('bun', 'bun'),
      'bun-generic.ts': bunGeneric,
      'hono-ws-bun.ts': honoWsTyped('@honokit/ws-bun'),
    },
    deno: {
      'deno-readme.ts': readmeProgram('deno', 'deno'),
      'deno-options.ts': denoOptions,
      'hono-ws-deno.ts': honoWsTyped('@honokit/ws-deno'),
    },
    cloudflare: {
      'worker-readme.ts': readmeProgram('cloudflare', 'cloudflare-worker'),
      'hono-ws-cloudflare.ts': honoWsTyped('@honokit/ws-cloudflare', 'MessageEvent'),
    },
  }
}

/** Each runtime's tsconfig, as that runtime's project templates set it up, always with `strict`. */
const tsconfigs = {
  // create-hono's nodejs template: NodeNext, @types/node, the default lib (which includes DOM). Emits for `node`.
  node: { module: 'NodeNext', target: 'ES2022', strict: true, types: ['node'], outDir: 'out', rootDir: '.' },
  // `bun init`: no DOM lib (bun-types' MessageEvent clashes with it: packages/bun/README.md), bundler resolution.
  bun: {
    lib: ['ESNext'],
    module: 'Preserve',
    moduleResolution: 'bundler',
    target: 'ESNext',
    strict: true,
    noEmit: true,
    types: ['bun-types'],
  },
  // create-hono's cloudflare-workers template: ESNext lib, workers-types instead of DOM, bundler resolution.
  cloudflare: {
    lib: ['ESNext'],
    module: 'ESNext',
    moduleResolution: 'Bundler',
    target: 'ESNext',
    strict: true,
    noEmit: true,
    types: ['@cloudflare/workers-types'],
  },
}

interface Layout {
  name: 'npm' | 'pnpm'
  dir: string
}

/** Writes the project's package.json and installs the tarballs and third-party packages with npm or pnpm. */
async function install(layout: Layout, tarballs: Record<string, string>, packages: WorkspacePackage[]) {
  mkdirSync(layout.dir)
  const file = (p: WorkspacePackage) => `file:${tarballs[p.dir]}`
  if (layout.name === 'npm') {
    // npm hoists: every tarball is a direct dependency, core's satisfies the adapters' `^0.1.0` from the top level.
    writeFileSync(
      join(layout.dir, 'package.json'),
      JSON.stringify({
        name: 'migration-npm',
        private: true,
        type: 'module',
        dependencies: { ...Object.fromEntries(packages.map((p) => [p.name, file(p)])), ...thirdParty() },
      })
    )
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: layout.dir,
      timeoutMs: 180_000,
    })
  } else {
    // pnpm links only direct dependencies: the app lists what a user installs (adapters, not core), and packages
    // that only others depend on come from their tarballs through overrides, out of the app's reach.
    const dependedOn = new Set(packages.flatMap((p) => Object.keys(p.manifest.dependencies ?? {})))
    writeFileSync(
      join(layout.dir, 'package.json'),
      JSON.stringify({
        name: 'migration-pnpm',
        private: true,
        type: 'module',
        dependencies: {
          ...Object.fromEntries(
            packages.filter((p) => !dependedOn.has(p.name)).map((p) => [p.name, file(p)])
          ),
          ...thirdParty(),
        },
        pnpm: {
          overrides: Object.fromEntries(
            packages.filter((p) => dependedOn.has(p.name)).map((p) => [p.name, file(p)])
          ),
        },
      })
    )
    await pnpm(['install', '--prefer-offline', '--ignore-workspace'], layout.dir, 180_000)
  }
  for (const files of Object.values(programs()))
    for (const [name, text] of Object.entries(files)) writeFileSync(join(layout.dir, name), text)
  for (const [runtime, compilerOptions] of Object.entries(tsconfigs))
    writeFileSync(
      join(layout.dir, `tsconfig.${runtime}.json`),
      JSON.stringify({ compilerOptions, files: Object.keys(programs()[runtime as keyof typeof tsconfigs]) })
    )
}

/** The outcome of one type-check run over all programs of a runtime. */
interface Check {
  status: 'ok' | 'failed'
  output: string
}

/**
 * Who a diagnostic concerns: a program file, the published declarations of our packages (`honokit`), another
 * package's declarations (`library`), or nothing in particular (`global`: the config, the command).
 */
function ownerOf(diagnostic: string, programFiles: string[]): string {
  const program = programFiles.find(
    (f) =>
      diagnostic.startsWith(`${f}(`) || new RegExp(`/${f.replace('.', '\\.')}:\\d+:\\d+`).test(diagnostic)
  )
  if (program) return program
  if (/node_modules\/@honokit\//.test(diagnostic)) return 'honokit'
  if (/\.d\.[cm]?ts(\(\d+,\d+\)|:\d+:\d+)/.test(diagnostic)) return 'library'
  return 'global'
}

/**
 * The diagnostics of a check that belong to `owner`, plus the `global` ones. Diagnostics inside other packages'
 * declarations (hono's own d.ts under bun-types or workers-types, bun-types against @types/node) are left out, as
 * `skipLibCheck: true` in every runtime's project template leaves them out for the user; skipLibCheck changes which
 * files are reported, not how the programs' own code is typed.
 */
function errorsFor(check: Check, owner: string, programFiles: string[]): string[] {
  if (check.status === 'ok') return []
  // tsc --pretty false: a diagnostic is an unindented `file(l,c): error TS…` line plus indented ones. deno check:
  // `TS… [ERROR]: …`, the source line, a caret and `at file:///…:l:c`, with a blank line after each diagnostic.
  const deno = /\[ERROR\]/.test(check.output)
  const diagnostics = check.output
    .split(deno ? /\n\s*\n/ : /\n(?=\S)/)
    .filter(
      (chunk) =>
        /error/i.test(chunk) &&
        !/^(error: Type checking failed|Found \d+ errors?|Stack backtrace)/.test(chunk)
    )
  if (diagnostics.length === 0) return [check.output]
  return diagnostics.filter((d) => [owner, 'global'].includes(ownerOf(d, programFiles)))
}

/** Runs (once per layout and runtime) the runtime's type-check over all its programs. */
function typeCheck(layout: Layout, runtime: 'node' | 'bun' | 'deno' | 'cloudflare'): Promise<Check> {
  const key = `${layout.name}:${runtime}`
  let pending = checks.get(key)
  if (!pending) {
    const command: [string, string[]] =
      runtime === 'deno'
        ? [denoBin(), ['check', ...Object.keys(programs().deno)]]
        : [tsc, ['-p', `tsconfig.${runtime}.json`, '--pretty', 'false']]
    pending = run(command[0], command[1], {
      cwd: layout.dir,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      timeoutMs: 120_000,
    }).then(
      (r): Check => ({ status: 'ok', output: r.stdout + r.stderr }),
      (e: Error): Check => ({ status: 'failed', output: e.message })
    )
    checks.set(key, pending)
  }
  return pending
}
const checks = new Map<string, Promise<Check>>()

/** Asserts that the runtime's check reports nothing about `owner` (a program file, or `honokit`). */
async function expectTypeChecks(
  layout: Layout,
  runtime: 'node' | 'bun' | 'deno' | 'cloudflare',
  owner: string
) {
  const check = await typeCheck(layout, runtime)
  const files = Object.keys(programs()[runtime])
  expect(errorsFor(check, owner, files).join('\n')).toBe('')
}

/** A `ws` client on `path` with a queue of received messages. */
async function connect(port: number, path: string, protocols?: string[]) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols)
  const queue: string[] = []
  const waiting: ((m: string) => void)[] = []
  ws.on('message', (data: Buffer) => {
    const m = data.toString()
    const next = waiting.shift()
    if (next) next(m)
    else queue.push(m)
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)))
  })
  return {
    ws,
    /** The next message, within 5 s. */
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift()!)
        : new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5000)
            waiting.push((m) => {
              clearTimeout(timer)
              resolve(m)
            })
          }),
    /** Closes with `code`/`reason` and resolves with what the client saw in the closing handshake. */
    close: (code: number, reason: string) =>
      new Promise<{ code: number; reason: string }>((resolve) => {
        ws.once('close', (c: number, r: Buffer) => resolve({ code: c, reason: r.toString() }))
        ws.close(code, reason)
      }),
  }
}

/** Starts `command` in the layout's project on a free port, runs `talk`, and stops the server by PID. */
async function serving(
  layout: Layout,
  command: string[],
  talk: (server: ServerProcess) => Promise<void>,
  env: (port: number) => Record<string, string> = () => ({})
) {
  const port = await freePort()
  const server = await startServer(command, {
    cwd: layout.dir,
    port,
    env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...env(port) },
    readyPath: '/',
    readyTimeoutMs: 30_000,
  })
  try {
    await talk(server)
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- server output:\n${server.output()}`)
  } finally {
    await server.stop()
  }
}

const layouts: Layout[] = [
  { name: 'npm', dir: join(work, 'npm-project') },
  { name: 'pnpm', dir: join(work, 'pnpm-project') },
]

beforeAll(async () => {
  const packs = join(work, 'packs')
  mkdirSync(packs)
  const tarballs = await packPackages(packs, workspacePackages)
  await Promise.all(layouts.map((l) => install(l, tarballs, workspacePackages)))
}, 300_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

for (const layout of layouts)
  describe(`${layout.name} layout`, { timeout: 120_000 }, () => {
    const l = layout.name

    it(`${l} layout · installs what a user installs (pnpm: the adapters, not core)`, () => {
      const pkgs = JSON.parse(readFileSync(join(layout.dir, 'package.json'), 'utf8')).dependencies
      for (const p of workspacePackages)
        if (l === 'npm' || p.name !== '@honokit/ws-core') expect(Object.keys(pkgs)).toContain(p.name)
      if (l === 'pnpm') expect(Object.keys(pkgs)).not.toContain('@honokit/ws-core')
    })

    describe('node', () => {
      it(`${l} layout · node · @hono/node-server's serve({ websocket: { server } }) program (packages/node/README.md) type-checks with tsc --strict`, async () => {
        await expectTypeChecks(layout, 'node', 'node-serve.ts')
      })

      it(`${l} layout · node · @hono/node-server's serve({ websocket: { server } }) program upgrades, echoes and logs the close`, async () => {
        await typeCheck(layout, 'node') // emits out/*.js
        await serving(layout, [process.execPath, 'out/node-serve.js'], async (server) => {
          const c = await connect(server.port, '/ws?name=ada')
          expect(await c.next()).toBe('hello ada')
          c.ws.send('echo me')
          expect(await c.next()).toBe('echo me')
          expect(await c.close(4000, 'done')).toEqual({ code: 4000, reason: 'done' })
          await vi.waitFor(() => expect(server.output()).toContain('closed 4000 done'), { timeout: 5000 })
        })
      })

      it(`${l} layout · node · @hono/node-ws's createNodeWebSocket({ app }) + injectWebSocket(server) program (packages/node/README.md) type-checks with tsc --strict`, async () => {
        await expectTypeChecks(layout, 'node', 'node-ws.ts')
      })

      it(`${l} layout · node · @hono/node-ws's createNodeWebSocket({ app }) + injectWebSocket(server) program upgrades and echoes`, async () => {
        await typeCheck(layout, 'node')
        await serving(layout, [process.execPath, 'out/node-ws.js'], async (server) => {
          const c = await connect(server.port, '/ws')
          c.ws.send('from node-ws')
          expect(await c.next()).toBe('from node-ws')
          expect(await c.close(4001, '')).toEqual({ code: 4001, reason: '' })
          await vi.waitFor(() => expect(server.output()).toContain('closed 4001'), { timeout: 5000 })
        })
      })

      it(`${l} layout · node · handlers annotated with hono/ws's types compile with tsc --strict against @honokit/ws-node`, async () => {
        await expectTypeChecks(layout, 'node', 'hono-ws-node.ts')
      })

      it(`${l} layout · node · the published declarations of @honokit/ws-node have no type errors under @types/node and the DOM lib`, async () => {
        await expectTypeChecks(layout, 'node', 'honokit')
      })
    })

    describe('bun', () => {
      it(`${l} layout · bun · hono/bun program (packages/bun/README.md) type-checks with tsc --strict and bun-types`, async () => {
        await expectTypeChecks(layout, 'bun', 'bun-readme.ts')
      })

      it(`${l} layout · bun · hono/bun program, export default { fetch, websocket }, upgrades and echoes under bun run`, async () => {
        await serving(layout, [bunBin(), 'run', 'bun-readme.ts'], async (server) => {
          const c = await connect(server.port, '/ws?name=ada')
          c.ws.send('hi')
          expect(await c.next()).toBe('ada: hi')
          expect(await c.close(4000, 'done')).toEqual({ code: 4000, reason: 'done' })
          await vi.waitFor(() => expect(server.output()).toContain('closed 4000 done'), { timeout: 5000 })
        })
      })

      it(`${l} layout · bun · hono/bun's createBunWebSocket<ServerWebSocket>() program type-checks with tsc --strict and bun-types`, async () => {
        await expectTypeChecks(layout, 'bun', 'bun-generic.ts')
      })

      it(`${l} layout · bun · hono/bun's createBunWebSocket<ServerWebSocket>() program upgrades and answers under bun run, ws.raw is Bun's socket`, async () => {
        await serving(layout, [bunBin(), 'run', 'bun-generic.ts'], async (server) => {
          const c = await connect(server.port, '/ws')
          expect(await c.next()).toMatch(/^remote .*127\.0\.0\.1$/)
          c.ws.send('hello')
          expect(await c.next()).toBe('Hello from server!')
          await c.close(1000, '')
          await vi.waitFor(
            () => expect(server.output()).toMatch(/Message from client: hello[\s\S]*Connection closed/),
            { timeout: 5000 }
          )
        })
      })

      it(`${l} layout · bun · handlers annotated with hono/ws's types compile with tsc --strict against @honokit/ws-bun`, async () => {
        await expectTypeChecks(layout, 'bun', 'hono-ws-bun.ts')
      })

      it(`${l} layout · bun · the published declarations of @honokit/ws-bun have no type errors under bun-types without the DOM lib`, async () => {
        await expectTypeChecks(layout, 'bun', 'honokit')
      })
    })

    describe('deno', () => {
      const denoRun = (file: string) => [denoBin(), 'run', '--allow-net=127.0.0.1', '--allow-env=PORT', file]
      // Deno.serve(app.fetch) as documented listens on 0.0.0.0:8000; Deno's DENO_SERVE_ADDRESS moves it to the free port.
      const address = (port: number) => ({ DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}` })

      it(`${l} layout · deno · hono/deno program (packages/deno/README.md) passes deno check`, async () => {
        await expectTypeChecks(layout, 'deno', 'deno-readme.ts')
      })

      it(`${l} layout · deno · hono/deno program, Deno.serve(app.fetch) with { idleTimeout }, upgrades and echoes under deno run`, async () => {
        await serving(
          layout,
          denoRun('deno-readme.ts'),
          async (server) => {
            const c = await connect(server.port, '/ws')
            c.ws.send('hi deno')
            expect(await c.next()).toBe('hi deno')
            expect(await c.close(4000, 'done')).toEqual({ code: 4000, reason: 'done' })
            await vi.waitFor(() => expect(server.output()).toContain('closed 4000'), { timeout: 5000 })
          },
          address
        )
      })

      it(`${l} layout · deno · hono/deno's options { protocol, idleTimeout } program passes deno check`, async () => {
        await expectTypeChecks(layout, 'deno', 'deno-options.ts')
      })

      it(`${l} layout · deno · hono/deno's options { protocol, idleTimeout } program negotiates the protocol and echoes`, async () => {
        await serving(
          layout,
          denoRun('deno-options.ts'),
          async (server) => {
            // The ws client sends the offer as `chat,other` (no space): hono/deno's Deno.upgradeWebSocket threw on it.
            const c = await connect(server.port, '/ws', ['chat', 'other'])
            expect(c.ws.protocol).toBe('chat')
            c.ws.send('hi')
            expect(await c.next()).toBe('chat: hi')
            await c.close(1000, '')
          },
          address
        )
      })

      it(`${l} layout · deno · handlers annotated with hono/ws's types pass deno check against @honokit/ws-deno`, async () => {
        await expectTypeChecks(layout, 'deno', 'hono-ws-deno.ts')
      })
    })

    describe('cloudflare', () => {
      it(`${l} layout · cloudflare · hono/cloudflare-workers Worker (packages/cloudflare/README.md) type-checks with tsc --strict and workers-types`, async () => {
        await expectTypeChecks(layout, 'cloudflare', 'worker-readme.ts')
      })

      it(`${l} layout · cloudflare · hono/cloudflare-workers Worker, export default app, upgrades and echoes in workerd`, async () => {
        await serving(layout, [process.execPath, serveWorker, 'worker-readme.ts'], async (server) => {
          const c = await connect(server.port, '/ws')
          expect(await c.next()).toBe('welcome')
          c.ws.send('hi workerd')
          expect(await c.next()).toBe('hi workerd')
          expect(await c.close(4000, 'done')).toEqual({ code: 4000, reason: 'done' })
          // The README's async onClose posts the code: it ran to its fetch.
          await vi.waitFor(
            () => expect(server.output()).toContain('outbound POST https://example.com/log 4000'),
            { timeout: 5000 }
          )
        })
      })

      it(`${l} layout · cloudflare · handlers annotated with hono/ws's types compile with tsc --strict against @honokit/ws-cloudflare`, async () => {
        await expectTypeChecks(layout, 'cloudflare', 'hono-ws-cloudflare.ts')
      })

      it(`${l} layout · cloudflare · the published declarations of @honokit/ws-cloudflare have no type errors under @cloudflare/workers-types`, async () => {
        await expectTypeChecks(layout, 'cloudflare', 'honokit')
      })
    })
  })
