#!/usr/bin/env node
// `npm run pack`: until the packages are on the npm registry, this is how to try them in your own project. Installs
// the workspace when needed, then `pnpm pack`s every published package (its `prepack` builds `dist` first; pnpm
// replaces `workspace:^` with the real version) into packs/ (or `--dest <dir>`), and prints the `npm install` line
// that uses the tarballs.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { root, runPnpm } from './pnpm.mjs'

const destArg = process.argv.indexOf('--dest')
const dest = destArg > 0 ? resolve(process.argv[destArg + 1]) : join(root, 'packs')
mkdirSync(dest, { recursive: true })

if (!existsSync(join(root, 'node_modules', '.modules.yaml')) && runPnpm(['install']) !== 0) process.exit(1)

const packages = readdirSync(join(root, 'packages'))
  .sort()
  .map((dir) => ({ dir, file: join(root, 'packages', dir, 'package.json') }))
  .filter((p) => existsSync(p.file))
  .map((p) => ({ ...p, manifest: JSON.parse(readFileSync(p.file, 'utf8')) }))
  .filter((p) => !p.manifest.private)

const tarballs = {}
for (const p of packages) {
  // Each package packs into a folder of its own first, so a stale tarball of another version is never picked up.
  const own = join(dest, `.${p.dir}`)
  rmSync(own, { recursive: true, force: true })
  mkdirSync(own)
  console.log(`packing ${p.manifest.name}`)
  const code = runPnpm(['--dir', join(root, 'packages', p.dir), 'pack', '--pack-destination', own], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const file = readdirSync(own).find((f) => f.endsWith('.tgz'))
  if (code !== 0 || !file) {
    console.error(`pnpm pack failed for ${p.manifest.name}`)
    process.exit(1)
  }
  renameSync(join(own, file), join(dest, file))
  rmSync(own, { recursive: true, force: true })
  tarballs[p.manifest.name] = join(dest, file)
}

// Every tarball, ready to paste (npm resolves @honokit/ws-core, which the adapters depend on, from its tarball).
const shown = (file) => {
  const rel = relative(process.cwd(), file)
  return rel.startsWith('..') || isAbsolute(rel) ? file : `./${rel}`
}
const check = spawnSync('tar', ['-tzf', tarballs['@honokit/ws-core']], { encoding: 'utf8' })
if (!check.stdout.includes('package/dist/index.js')) {
  console.error('the @honokit/ws-core tarball has no dist/index.js: the build did not run')
  process.exit(1)
}
console.log(
  `\n${Object.keys(tarballs).length} packages in ${shown(dest)}. In your project (Node, for example):\n`
)
console.log(
  `npm install ${shown(tarballs['@honokit/ws-core'])} ${shown(tarballs['@honokit/ws-node'])} hono @hono/node-server ws`
)
console.log(`\nEvery tarball: ${Object.values(tarballs).map(shown).join(' ')}`)
