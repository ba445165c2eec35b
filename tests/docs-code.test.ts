// Every ```ts and ```js block of the READMEs and docs/ is type-checked against the workspace packages, in the
// environment of its runtime: Node (tsc --strict, @types/node and the DOM lib), Bun (bun-types, no DOM), Cloudflare
// (@cloudflare/workers-types, plus the `Env` that `wrangler types` would write for the README's wrangler.jsonc) and
// Deno (`deno check`). Runnable blocks are run, each by a named check below. Markers, in an HTML comment on the line
// before the block:
//   <!-- docs-check: skip (why) -->     not checked: only for fragments that cannot stand alone; keep them few
//   <!-- docs-check: run <name> -->     type-checked, then run and checked by `runs[name]` below
//   <!-- docs-check: env <runtime> -->  type-checked as node, bun, deno or cloudflare code (else read from the imports)
//   <!-- example: <path> -->             the block is that file (next to the README), which its package's tests run
//                                        with their runner: checked to be the file, word for word
// Programs that other tests run (the README's echo server, the migration-test blocks) are type-checked here too.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { startServer } from '@honokit/ws-conformance/runner'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { root, run } from './workspace-packages.ts'

type Env = 'node' | 'bun' | 'deno' | 'cloudflare'

interface Block {
  /** Markdown file, relative to the repository root. */
  file: string
  line: number
  lang: string
  code: string
  env: Env
  skip?: string
  run?: string
  /** The example file (relative to the markdown file) that this block shows, run by its package's own tests. */
  example?: string
  /** The file the block is written to, relative to its environment's folder. */
  name: string
}

/** The markdown files whose code blocks users copy. */
function markdownFiles(): string[] {
  const inDir = (dir: string, only?: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((f) => (only ? f === only : f.endsWith('.md')))
          .map((f) => join(dir, f))
      : []
  const packages = readdirSync(join(root, 'packages')).flatMap((p) => inDir(join('packages', p), 'README.md'))
  return ['README.md', ...inDir('docs'), ...packages, 'apps/chat-demo/README.md', 'bench/README.md'].filter(
    (f) => existsSync(join(root, f))
  )
}

const envOf = (code: string): Env =>
  /@honokit\/ws-bun|\bBun\./.test(code)
    ? 'bun'
    : /@honokit\/ws-deno|\bDeno\./.test(code)
      ? 'deno'
      : /@honokit\/ws-cloudflare|cloudflare:workers/.test(code)
        ? 'cloudflare'
        : 'node'

/** The ```ts / ```js blocks of a markdown file, with the markers in the comment lines right before each. */
function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]!.match(/^(\s*)```(\w*)\s*$/)
    if (!open) continue
    const indent = open[1]!
    const lang = open[2]!
    let end = i + 1
    while (end < lines.length && lines[end]!.trim() !== '```') end++
    const start = i
    i = end
    if (!['ts', 'js', 'typescript', 'javascript'].includes(lang)) continue
    const code = lines
      .slice(start + 1, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n')
    const markers: string[] = []
    for (let j = start - 1; j >= 0 && /^\s*<!--.*-->\s*$/.test(lines[j]!); j--) markers.push(lines[j]!)
    const marker = (key: string) =>
      markers
        .map((m) => m.match(new RegExp(`docs-check:\\s*${key}\\b\\s*(.*?)\\s*-->`))?.[1])
        .find((m) => m !== undefined)
    const example = markers.map((m) => m.match(/<!--\s*example:\s*(\S+)\s*-->/)?.[1]).find(Boolean)
    const slug = `${file.replace(/\.md$/, '').replace(/[^a-zA-Z0-9]+/g, '-')}-${start + 1}`.toLowerCase()
    const js = lang.startsWith('j')
    blocks.push({
      file,
      line: start + 1,
      lang,
      code,
      env: (marker('env') as Env | undefined) ?? envOf(code),
      skip: marker('skip')?.replace(/^\((.*)\)$/, '$1'),
      run: marker('run'),
      example,
      name: `${slug}.${js ? 'js' : 'ts'}`,
    })
  }
  return blocks
}

const blocks = markdownFiles().flatMap(blocksOf)
const work = join(root, 'tests', '.docs-check')
const tsc = join(root, 'node_modules', '.bin', 'tsc')
const denoBin = join(
  dirname(createRequire(join(root, 'tests', 'package.json')).resolve('deno/package.json')),
  'deno'
)

// What `wrangler types` writes for the Durable Object binding of packages/cloudflare/README.md's wrangler.jsonc.
const wranglerEnv = 'interface Env {\n  CHAT_ROOM: DurableObjectNamespace\n}\n'

const compilerOptions: Record<Exclude<Env, 'deno'>, object> = {
  node: { lib: ['ES2023', 'DOM'], types: ['node'] },
  bun: { lib: ['ESNext'], types: ['bun-types'] },
  cloudflare: { lib: ['ESNext'], types: ['@cloudflare/workers-types'] },
}

/** Diagnostics of one environment's check, by block file name. */
const diagnostics = new Map<string, string[]>()
/** Output of a check that could not be attributed to a block (a broken setup). */
const unattributed = new Map<Env, string>()

function check(env: Env, files: Block[]) {
  const dir = join(work, env)
  mkdirSync(dir, { recursive: true })
  for (const b of files) writeFileSync(join(dir, b.name), `${b.code}\nexport {}\n`)
  let output: string
  if (env === 'deno') {
    const r = spawnSync(denoBin, ['check', '--quiet', ...files.map((b) => b.name)], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      timeout: 120_000,
    })
    output = r.status === 0 ? '' : `${r.stdout}${r.stderr}`
  } else {
    if (env === 'cloudflare') writeFileSync(join(dir, 'worker-configuration.d.ts'), wranglerEnv)
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          allowImportingTsExtensions: true,
          allowJs: true,
          checkJs: true,
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          ...compilerOptions[env],
        },
        include: ['*.ts', '*.js'],
      })
    )
    const r = spawnSync(tsc, ['-p', '.', '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 180_000,
    })
    output = r.status === 0 ? '' : `${r.stdout}${r.stderr}`
  }
  if (!output) return
  // tsc: `file(l,c): error …` plus indented lines; deno: chunks separated by blank lines, naming `file:///…/file:l:c`.
  const chunks = env === 'deno' ? output.split(/\n\s*\n/) : output.split(/\n(?=\S)/)
  let attributed = false
  for (const chunk of chunks) {
    const block = files.find((b) => chunk.startsWith(`${b.name}(`) || chunk.includes(`/${b.name}:`))
    if (!block) continue
    attributed = true
    diagnostics.set(block.name, [...(diagnostics.get(block.name) ?? []), chunk.trim()])
  }
  // Errors only in the packages' own sources under another environment are not the docs' business; a failure that
  // names no block at all (a missing type package, a crash) is.
  if (!attributed && !/\.(ts|js)\(\d+,\d+\): error/.test(output) && !/ERROR/.test(output))
    unattributed.set(env, output)
}

beforeAll(() => {
  rmSync(work, { recursive: true, force: true })
  for (const env of ['node', 'bun', 'cloudflare', 'deno'] as const) {
    const files = blocks.filter((b) => b.env === env && !b.skip && !b.example)
    if (files.length > 0) check(env, files)
  }
}, 300_000)

describe.each(blocks.filter((b) => b.example))('$file:$line ($lang)', (b) => {
  it(`is ${b.example}, which its package's tests run`, () => {
    const file = join(root, dirname(b.file), b.example!)
    expect(existsSync(file), file).toBe(true)
    expect(`${b.code}\n`).toBe(readFileSync(file, 'utf8'))
  })
})

describe.each(blocks.filter((b) => !b.example))('$file:$line ($lang)', (b) => {
  it.skipIf(Boolean(b.skip))(`type-checks as ${b.env} code${b.skip ? ` (skipped: ${b.skip})` : ''}`, () => {
    expect(unattributed.get(b.env) ?? '').toBe('')
    expect((diagnostics.get(b.name) ?? []).join('\n\n')).toBe('')
  })
})

it('opt-outs stay few and say why', () => {
  const skipped = blocks.filter((b) => b.skip !== undefined)
  for (const b of skipped) expect(b.skip, `${b.file}:${b.line}`).toMatch(/\w{3,}/)
  expect(skipped.length).toBeLessThanOrEqual(7)
  expect(blocks.length).toBeGreaterThan(20)
})

/** Runs a server block with PORT set, gives its port to `talk`, and stops it by PID. */
async function serving(b: Block, talk: (port: number) => Promise<void>) {
  const server = await startServer([process.execPath, '--import', 'tsx', b.name], {
    cwd: join(work, b.env),
    readyPath: '/health',
  })
  try {
    await talk(server.port)
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- server output:\n${server.output()}`)
  } finally {
    await server.stop()
  }
}

/** Opens a WebSocket; resolves with the first message, or rejects with the refusal's status. */
function firstMessage(url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]) {
  return new Promise<{ message: string; protocol: string }>((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options)
    ws.once('message', (d) => {
      resolve({ message: String(d), protocol: ws.protocol })
      ws.close()
    })
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** What each runnable block must do. */
const runs: Record<string, (b: Block) => Promise<void>> = {
  'typed-client': async (b) => {
    const r = await run(process.execPath, ['--import', 'tsx', b.name], {
      cwd: join(work, b.env),
      timeoutMs: 30_000,
    })
    expect(r.stdout).toContain('echo: hello from hc')
  },
  auth: (b) =>
    serving(b, async (port) => {
      const url = `ws://127.0.0.1:${port}/ws`
      await expect(firstMessage(url)).rejects.toThrow('refused 401')
      await expect(firstMessage(`${url}?token=wrong`)).rejects.toThrow('refused 401')
      expect((await firstMessage(`${url}?token=t0k3n-for-ada`)).message).toBe('hello ada')
      expect((await firstMessage(url, { headers: { cookie: 'session=t0k3n-for-ada' } })).message).toBe(
        'hello ada'
      )
    }),
  protocols: (b) =>
    serving(b, async (port) => {
      const url = `ws://127.0.0.1:${port}/ws`
      expect(await firstMessage(url, {}, ['chat.v1', 'chat.v2'])).toEqual({
        message: 'speaking chat.v2',
        protocol: 'chat.v2',
      })
      await expect(firstMessage(url, {}, ['chat.v0'])).rejects.toThrow('refused 400')
    }),
}

describe.each(blocks.filter((b) => b.run))('$file:$line runs', (b) => {
  it(`runs as documented (${b.run})`, async () => {
    const scenario = runs[b.run!]
    expect(scenario, `a check named ${b.run} in tests/docs-code.test.ts`).toBeDefined()
    await scenario!(b)
  }, 60_000)
})

it('every runnable block has a check, and every check a block', () => {
  expect(blocks.flatMap((b) => (b.run ? [b.run] : [])).sort()).toEqual(Object.keys(runs).sort())
  expect(relative(root, work)).toBe(join('tests', '.docs-check'))
})
