// Release checks on what would be published: `pnpm pack` tarballs linted with publint and attw; the README's echo
// server run from those tarballs in an empty project outside the workspace; every package loaded with `require` and
// `import`, and a TypeScript app compiled to CommonJS serving a real WebSocket; and the documented `WSData`
// augmentation type-checked in a strict pnpm project that installed only one adapter.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { packPackages, publicPackages, root } from './workspace-packages.ts'

const bin = (name: string) => join(root, 'node_modules', '.bin', name)
// Every package under packages/ that is not private, by folder name (core, node, bun, …).
const workspacePackages = publicPackages()
const packages = workspacePackages.map((p) => p.dir)
const work = mkdtempSync(join(tmpdir(), 'honokit-release-'))
let tarballs: Record<string, string> = {}

beforeAll(async () => {
  const dest = join(work, 'packs')
  mkdirSync(dest)
  tarballs = await packPackages(dest, workspacePackages)
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.each(workspacePackages)('$name tarball', ({ dir: p }) => {
  it('passes publint in strict mode', () => {
    const r = spawnSync(bin('publint'), ['run', tarballs[p]!, '--strict'], { encoding: 'utf8' })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('All good')
  })

  it('passes attw in its default profile (node10, node16 from CJS and ESM, bundler)', () => {
    const r = spawnSync(bin('attw'), [tarballs[p]!, '--format', 'json'], { encoding: 'utf8' })
    expect(r.status, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
  })

  it('ships only dist with a real version for workspace dependencies', () => {
    const files = execFileSync('tar', ['-tzf', tarballs[p]!], { encoding: 'utf8' }).trim().split('\n')
    expect(
      files.filter(
        (f) =>
          !f.startsWith('package/dist/') &&
          !/package\/(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/.test(f)
      )
    ).toEqual([])
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarballs[p]!, 'package/package.json'], { encoding: 'utf8' })
    )
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:')
    expect(manifest.exports['.']).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    })
  })

  // tsup turns split ESM chunks into CommonJS with sucrase unless Rollup does it (tsup.config.base.ts), and sucrase
  // rewrites `a ?? b` into `_nullishCoalesce(a, () => b)`: a closure on every `ws.send` for `require()` users.
  it('ships CommonJS that keeps `?.` and `??` as they are (no per-call closures from a transpiler)', () => {
    const files = execFileSync('tar', ['-tzf', tarballs[p]!], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((f) => f.endsWith('.cjs'))
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) {
      const code = execFileSync('tar', ['-xzOf', tarballs[p]!, f], { encoding: 'utf8' })
      expect(code, f).not.toMatch(/_nullishCoalesce\(|_optionalChain\(/)
    }
  })
})

it('the README echo server runs from the packed core and node packages in an empty project', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const block = readme.split('<!-- readme-echo-example')[1]?.match(/```js\n([\s\S]*?)```/)?.[1]
  expect(block, 'README echo example block').toBeTruthy()
  expect(block!.trim().split('\n').length).toBeLessThanOrEqual(15)
  const project = join(work, 'empty-project')
  mkdirSync(project)
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'empty', private: true, type: 'module' })
  )
  writeFileSync(join(project, 'server.js'), block!)
  const hono = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).devDependencies.hono
  const install = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      tarballs.core!,
      tarballs.node!,
      `hono@${hono}`,
      '@hono/node-server@2',
    ],
    { cwd: project, encoding: 'utf8', timeout: 180_000 }
  )
  expect(install.status, install.stderr).toBe(0)
  const server = await startServer([process.execPath, 'server.js'], { cwd: project, readyPath: '/' })
  try {
    const got = await new Promise<string[]>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`)
      const seen: string[] = []
      ws.on('open', () => ws.send('echo me'))
      ws.on('message', (d) => {
        seen.push(d.toString())
        if (seen.length === 2) {
          ws.close(4000)
          resolve(seen)
        }
      })
      ws.on('error', reject)
    })
    expect(got).toEqual(['welcome', 'echo me'])
    await vi.waitFor(() => expect(server.output()).toContain('closed 4000'), { timeout: 5000 })
  } finally {
    await server.stop()
  }
}, 240_000)

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const testsManifest = JSON.parse(readFileSync(join(root, 'tests/package.json'), 'utf8'))
const honoVersion = () =>
  JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).devDependencies.hono as string

/** A fresh project outside the workspace with `manifest` as its package.json. */
function project(name: string, manifest: object) {
  const dir = join(work, name)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...manifest }, null, 2))
  return dir
}

describe('CommonJS and ESM consumers', () => {
  let dir = ''
  const names = workspacePackages.map((p) => p.name)

  beforeAll(() => {
    // No "type" field: .js files here are CommonJS, as in most apps compiled with "module": "commonjs".
    dir = project('cjs-project', {})
    const install = spawnSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...packages.map((p) => tarballs[p]!),
        `hono@${honoVersion()}`,
        '@hono/node-server@2',
        `ws@${testsManifest.devDependencies.ws}`,
        `@types/ws@${testsManifest.devDependencies['@types/ws']}`,
        `@types/node@${rootManifest.devDependencies['@types/node']}`,
      ],
      { cwd: dir, encoding: 'utf8', timeout: 180_000 }
    )
    expect(install.status, install.stderr).toBe(0)
  }, 200_000)

  it('every package loads with require() and with import, with the same exports', () => {
    const list = JSON.stringify(names)
    writeFileSync(
      join(dir, 'load.cjs'),
      `const out = {}\nfor (const n of ${list}) out[n] = Object.keys(require(n)).sort()\nconsole.log(JSON.stringify(out))\n`
    )
    writeFileSync(
      join(dir, 'load.mjs'),
      `const out = {}\nfor (const n of ${list}) out[n] = Object.keys(await import(n)).filter((k) => k !== 'default').sort()\nconsole.log(JSON.stringify(out))\n`
    )
    const run = (file: string) => {
      const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 30_000 })
      expect(r.status, `${file}: ${r.stderr}`).toBe(0)
      return JSON.parse(r.stdout) as Record<string, string[]>
    }
    const required = run('load.cjs')
    const imported = run('load.mjs')
    for (const n of names) expect(required[n]?.length, `${n} exports something`).toBeGreaterThan(0)
    expect(required).toEqual(imported)
    expect(required['@honokit/ws-node']).toContain('createNodeWebSocket')
  })

  it('a strict TypeScript app compiled with "module": "commonjs" upgrades a real WebSocket with @honokit/ws-node', () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'commonjs',
          target: 'ES2022',
          strict: true,
          esModuleInterop: true,
          types: ['node'],
          outDir: 'out',
        },
        include: ['app.ts'],
      })
    )
    writeFileSync(
      join(dir, 'app.ts'),
      `import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'
import WebSocket from 'ws'

declare module '@honokit/ws-node' {
  interface WSData {
    greeting: string
  }
}

setTimeout(() => process.exit(3), 10_000).unref()
const app = new Hono()
const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
app.get(
  '/ws',
  upgradeWebSocket(() => ({
    onOpen: (_evt, ws) => {
      ws.data.greeting = 'hello from commonjs'
      ws.send(ws.data.greeting)
    },
    onMessage: (evt, ws) => ws.send(\`echo \${String(evt.data)}\`),
    onClose: (evt) => console.log(\`server saw close \${evt.code}\`),
  }))
)
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) => {
  const client = new WebSocket(\`ws://127.0.0.1:\${port}/ws\`)
  const got: string[] = []
  client.on('message', (data) => {
    got.push(data.toString())
    if (got.length === 1) client.send('ping')
    else client.close(4000)
  })
  client.on('close', () => {
    console.log(JSON.stringify({ commonjs: typeof module !== 'undefined' && typeof require === 'function', got }))
    server.close(() => console.log('server closed'))
  })
  client.on('error', (error) => {
    console.error(error)
    process.exit(2)
  })
})
injectWebSocket(server)
`
    )
    const tsc = spawnSync(bin('tsc'), ['-p', '.'], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0)
    expect(readFileSync(join(dir, 'out/app.js'), 'utf8')).toContain('require("@honokit/ws-node")')
    const run = spawnSync(process.execPath, ['out/app.js'], { cwd: dir, encoding: 'utf8', timeout: 20_000 })
    expect(run.status, run.stdout + run.stderr).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(JSON.parse(lines.find((l) => l.startsWith('{'))!)).toEqual({
      commonjs: true,
      got: ['hello from commonjs', 'echo ping'],
    })
    expect(lines).toContain('server saw close 4000')
    expect(lines.at(-1)).toBe('server closed')
  }, 90_000)
})

describe('the documented WSData augmentation, in a strict pnpm project with only @honokit/ws-bun installed', () => {
  let dir = ''
  const readme = readFileSync(join(root, 'packages/bun/README.md'), 'utf8')
  const block = readme.split('## Per-connection data')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1] ?? ''
  const check = (file: string, body: string) => {
    writeFileSync(join(dir, file), body)
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          strict: true,
          noEmit: true,
          types: [],
        },
        files: [file],
      })
    )
    return spawnSync(bin('tsc'), ['-p', '.'], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
  }
  const app = (augmentation: string, use: string) => `import { upgradeWebSocket } from '@honokit/ws-bun'

${augmentation}
export const route = upgradeWebSocket(() => ({
  onOpen: (_evt, ws) => {
    ws.data.name = 'ada'
  },
  onMessage: (_evt, ws) => {
    ${use}
  },
}))
`

  beforeAll(() => {
    // pnpm links only direct dependencies into node_modules; core, the adapter's own dependency, comes from its
    // tarball (it is not on the registry) through an override and stays out of the app's reach.
    dir = project('pnpm-bun-only', {
      type: 'module',
      dependencies: { '@honokit/ws-bun': `file:${tarballs.bun}`, hono: honoVersion() },
      pnpm: { overrides: { '@honokit/ws-core': `file:${tarballs.core}` } },
    })
    const install = spawnSync('pnpm', ['install', '--prefer-offline', '--ignore-workspace'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(install.status, install.stdout + install.stderr).toBe(0)
    expect(readdirSync(join(dir, 'node_modules/@honokit'))).toEqual(['ws-bun'])
  }, 150_000)

  it('the README shows the augmentation through @honokit/ws-bun', () => {
    expect(block).toContain("declare module '@honokit/ws-bun'")
    expect(block).toMatch(/name: string/)
  })

  it('types ws.data with the declared field in every handler', () => {
    const r = check('good.ts', app(block, 'const name: string = ws.data.name\n    ws.send(name)'))
    expect(r.status, r.stdout + r.stderr).toBe(0)
  })

  it('makes a wrong-typed use of a declared field a type error', () => {
    const r = check('bad.ts', app(block, 'ws.data.name = 42'))
    expect(r.status).not.toBe(0)
    expect(r.stdout).toMatch(
      /bad\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/
    )
  })

  it('augmenting @honokit/ws-core instead fails here, as it would for the user (TS2664)', () => {
    const r = check(
      'core.ts',
      app(block.replace('@honokit/ws-bun', '@honokit/ws-core'), 'ws.send(ws.data.name)')
    )
    expect(r.stdout).toContain('error TS2664')
  })
})
