// The README's Testing examples, run by each test runner they are written for (vitest runs examples/chat.vitest.ts as
// part of this package's own tests): the same app, the same in-memory helper, no network, no port.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(join(pkg, 'package.json'))
// The real binaries, not the .bin shims (which do not exec them): spawnSync kills this PID on timeout.
const bun = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
const deno = join(dirname(require.resolve('deno/package.json')), 'deno')

function run(command: string, args: string[]) {
  const r = spawnSync(command, args, {
    cwd: pkg,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours some runners print anyway.
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') }
}

it('node --test runs examples/chat.node.ts with the adapter swapped by a module hook', () => {
  const r = run(process.execPath, [
    '--import',
    'tsx',
    '--import',
    './examples/swap-adapter.mjs',
    '--test',
    'examples/chat.node.ts',
  ])
  expect(r.output).toMatch(/# pass 1\n# fail 0/)
  expect(r.status, r.output).toBe(0)
})

it('bun test runs examples/chat.bun.ts with the adapter swapped by mock.module', () => {
  const r = run(bun, ['test', './examples/chat.bun.ts'])
  expect(r.output).toMatch(/1 pass\s+0 fail/)
  expect(r.status, r.output).toBe(0)
})

it('deno test runs examples/chat.deno.ts (type-checked) with the adapter swapped by an import map', () => {
  const r = run(deno, ['test', '--import-map=examples/import-map.json', 'examples/chat.deno.ts'])
  expect(r.output).toMatch(/ok \| 1 passed \| 0 failed/)
  expect(r.status, r.output).toBe(0)
})

it("the README's Testing section shows exactly the example files that these tests run", () => {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8')
  const shown = [...readme.matchAll(/<!-- example: (\S+) -->\n```\w+\n([\s\S]*?)```/g)]
  expect(shown.map((m) => m[1])).toEqual([
    'examples/chat-app.ts',
    'examples/chat.vitest.ts',
    'examples/chat.bun.ts',
    'examples/chat.deno.ts',
    'examples/import-map.json',
    'examples/chat.node.ts',
    'examples/swap-adapter.mjs',
  ])
  for (const [, file, block] of shown) expect(block, file).toBe(readFileSync(join(pkg, file!), 'utf8'))
})
