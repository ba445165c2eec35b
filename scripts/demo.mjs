#!/usr/bin/env node
// `npm run demo`: the chat on Node at http://localhost:3000 (PORT and HOST change it; HOST=0.0.0.0 admits other
// machines). Installs only when the install is missing or older than the lockfile and manifests: a fresh clone gets
// what the Node demo needs and nothing else (no Bun, Deno or workerd); a full workspace install is kept and reused.
// Runs the Node entry itself, not through `pnpm run`, so that Ctrl-C reaches it, it calls the helper's `shutdown()`
// (clients see 1001) and everything exits 0.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { root, runPnpm } from './pnpm.mjs'

const modulesYaml = join(root, 'node_modules', '.modules.yaml')
const stampFile = join(root, 'node_modules', '.demo-install-stamp')
const demo = join(root, 'apps', 'chat-demo')

/** The workspace's package.json files, from the globs in pnpm-workspace.yaml (`dir/*` or `dir`). */
function manifests() {
  const globs = [...readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s+-\s+(\S+)\s*$/gm)]
  const dirs = globs.flatMap(([, g]) =>
    g.endsWith('/*')
      ? readdirSync(join(root, g.slice(0, -2)), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(g.slice(0, -2), d.name))
      : [g]
  )
  return ['package.json', ...dirs.map((d) => join(d, 'package.json'))].filter((f) =>
    existsSync(join(root, f))
  )
}

/** A hash of everything that decides what an install contains. */
function inputsHash() {
  const hash = createHash('sha256')
  for (const f of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', ...manifests().sort()]) {
    hash.update(`${f}\0`)
    if (existsSync(join(root, f))) hash.update(readFileSync(join(root, f)))
  }
  return hash.digest('hex')
}

const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex')

/**
 * `current`: node_modules matches the lockfile and manifests, either because this script installed it (its stamp
 * holds the same inputs hash and pnpm's record of what is installed, node_modules/.pnpm/lock.yaml, is unchanged
 * since), or because a full install made it (that record equals pnpm-lock.yaml, and no manifest changed after
 * pnpm last wrote `.modules.yaml`). `full`: node_modules holds the whole workspace with dev dependencies (from
 * `pnpm install` or `npm test`), which is kept full.
 */
function installState(hash) {
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml')
  if (!existsSync(modulesYaml) || !existsSync(installed)) return { current: false, full: false }
  const full = /"devDependencies":\s*true/.test(readFileSync(modulesYaml, 'utf8'))
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {}
  const ours = stamp.hash === hash && stamp.installed === sha(installed)
  const lastInstall = statSync(modulesYaml).mtimeMs
  const theirs =
    full &&
    sha(installed) === sha(join(root, 'pnpm-lock.yaml')) &&
    manifests().every((f) => statSync(join(root, f)).mtimeMs <= lastInstall)
  return { current: ours || theirs, full }
}

const hash = inputsHash()
const state = installState(hash)
if (!state.current) {
  // A full install (the developer's, or npm test's) stays full; otherwise only the demo and what it depends on,
  // without dev dependencies: the Node entry needs hono, @hono/node-server, ws, tsx and the workspace packages.
  const args = state.full
    ? ['install']
    : ['install', '--filter', '@honokit/chat-demo...', '--prod', '--config.confirmModulesPurge=false']
  console.log(
    `demo: installing (${state.full ? 'the workspace' : 'the Node demo only'}) with pnpm ${args.join(' ')}`
  )
  if (runPnpm(args) !== 0) process.exit(1)
  const installed = sha(join(root, 'node_modules', '.pnpm', 'lock.yaml'))
  writeFileSync(stampFile, JSON.stringify({ hash, installed, at: new Date().toISOString() }))
}

// demo-peers first: hooks run last-registered first, so tsx's resolution runs through it.
const node = ['--import', join(root, 'scripts', 'demo-peers.mjs'), '--import', 'tsx', 'src/serve/node.ts']
const child = spawn(process.execPath, node, { cwd: demo, stdio: 'inherit' })
// Ctrl-C sends SIGINT to the whole foreground process group, so the server gets it itself; a signal sent to this
// process alone is passed on. The server shuts down once (it ignores a repeated signal) and this script exits with
// its status.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
