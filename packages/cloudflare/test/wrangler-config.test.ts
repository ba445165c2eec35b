// The README's Durable Object example and its wrangler config, checked with wrangler itself (offline): the program
// and each config shape (jsonc, toml) build with `wrangler deploy --dry-run`, which lists the binding; without the
// exported class wrangler refuses with its own error. The chat demo's wrangler.jsonc is checked the same way. The
// example is also compared with the fixture that runs it in workerd (durable-routes.test.ts).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const wrangler = createRequire(join(pkg, 'package.json')).resolve('wrangler/bin/wrangler.js')
const readme = readFileSync(join(pkg, 'README.md'), 'utf8')
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** The fenced block after `<!-- marker`, in the README. */
function block(marker: string): string {
  const text = readme.split(`<!-- ${marker}`)[1]?.match(/^[^\n]*\n```\w+\n([\s\S]*?)```/)?.[1]
  if (!text) throw new Error(`packages/cloudflare/README.md has no fenced block after <!-- ${marker}`)
  return text
}

/** `wrangler deploy --dry-run` in `cwd`, bundling into `outdir`; what it printed. */
function dryRun(cwd: string, outdir = 'dist'): string {
  const r = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
  })
  return `${r.stdout}${r.stderr}`
}

/** A project with `config` and the README's program; inside node_modules so `hono` resolves from this package. */
function project(configName: string, config: string, program: string): string {
  const dir = mkdtempSync(join(pkg, 'node_modules', '.wrangler-check-'))
  dirs.push(dir)
  mkdirSync(join(dir, 'src'))
  writeFileSync(join(dir, configName), config)
  const source = program.replace(
    "'@honokit/ws-cloudflare/durable'",
    JSON.stringify(join(pkg, 'src', 'durable.ts'))
  )
  writeFileSync(join(dir, 'src', 'index.ts'), source)
  return dir
}

const program = block('durable-example:')
const exportLine = 'export class WebSockets extends WebSocketObject {}'

describe('the README example with wrangler 4.86', () => {
  it.each([
    ['wrangler.jsonc', 'durable-config: jsonc'],
    ['wrangler.toml', 'durable-config: toml'],
  ])('%s: the program builds and the Durable Object binding is listed', (name, marker) => {
    const out = dryRun(project(name, block(marker), program))
    expect(out).toMatch(/env\.WEBSOCKETS \(WebSockets\)\s+Durable Object/)
    expect(out).toContain('--dry-run: exiting now.')
  })

  it('without the exported class, wrangler refuses and names it', () => {
    const withoutClass = program
      .split('\n')
      .filter((line) => !line.startsWith(exportLine))
      .join('\n')
    const out = dryRun(project('wrangler.jsonc', block('durable-config: jsonc'), withoutClass))
    expect(out).toContain(
      'Your Worker depends on the following Durable Objects, which are not exported in your entrypoint file: WebSockets.'
    )
  })

  it('is the program the workerd tests run (test/fixtures/hono-chat-worker.ts), from the app to the class', () => {
    const body = (text: string) => {
      const start = text.indexOf('const app = new Hono()')
      const end = text.indexOf(exportLine) + exportLine.length
      return text.slice(start, end)
    }
    const fixture = readFileSync(join(pkg, 'test', 'fixtures', 'hono-chat-worker.ts'), 'utf8')
    expect(body(fixture)).toBe(body(program))
    expect(body(program)).toContain('const clients = new Set<WSContext>()')
  })
})

it("the chat demo's wrangler.jsonc builds its Cloudflare entry with one Durable Object binding per room class", () => {
  const outdir = mkdtempSync(join(pkg, 'node_modules', '.wrangler-check-'))
  dirs.push(outdir)
  const out = dryRun(join(pkg, '..', '..', 'apps', 'chat-demo'), join(outdir, 'dist'))
  expect(out).toMatch(/env\.ROOMS \(ChatRoom\)\s+Durable Object/)
}, 60_000)
