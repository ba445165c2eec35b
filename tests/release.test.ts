// Release checks on what would be published: `pnpm pack` tarballs linted with publint and attw, and the README's
// echo server run from those tarballs in an empty project outside the workspace.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const packages = ['core', 'node', 'bun', 'deno', 'cloudflare', 'conformance', 'redis']
const work = mkdtempSync(join(tmpdir(), 'honokit-release-'))
const tarballs: Record<string, string> = {}

beforeAll(() => {
  const dest = join(work, 'packs')
  mkdirSync(dest)
  for (const p of packages) {
    const before = new Set(readdirSync(dest))
    execFileSync('pnpm', ['pack', '--pack-destination', dest], {
      cwd: join(root, 'packages', p),
      stdio: 'pipe',
    })
    tarballs[p] = join(dest, readdirSync(dest).find((f) => !before.has(f))!)
  }
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.each(packages)('@honokit/ws-%s tarball', (p) => {
  it('passes publint in strict mode', () => {
    const r = spawnSync(bin('publint'), ['run', tarballs[p]!, '--strict'], { encoding: 'utf8' })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('All good')
  })

  it('passes attw for an ESM-only package', () => {
    const r = spawnSync(bin('attw'), [tarballs[p]!, '--profile', 'esm-only', '--format', 'json'], {
      encoding: 'utf8',
    })
    expect(r.status, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
  })

  it('ships only dist with a real version for workspace dependencies', () => {
    const files = execFileSync('tar', ['-tzf', tarballs[p]!], { encoding: 'utf8' }).trim().split('\n')
    expect(
      files.filter(
        (f) => !f.startsWith('package/dist/') && !/package\/(package\.json|README\.md|LICENSE)$/.test(f)
      )
    ).toEqual([])
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarballs[p]!, 'package/package.json'], { encoding: 'utf8' })
    )
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:')
    expect(manifest.exports['.'].import).toBe('./dist/index.js')
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
