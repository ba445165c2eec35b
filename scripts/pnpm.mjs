#!/usr/bin/env node
// Runs the pinned pnpm with only Node.js and npm on the machine (TOOLCHAIN.md: pnpm 11 crashes on Node 20 and
// corepack fails without registry signatures). A pnpm on PATH is used when it is the pinned version; otherwise the
// pinned one is installed once into .tools/ with npm. Its bin folder goes first on PATH for every command run from
// here, because turbo looks the package manager up on PATH.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1]
const toolsBin = join(root, '.tools', 'node_modules', '.bin')

const versionOf = (cmd, env) => {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8', env })
  return r.status === 0 ? r.stdout.trim() : undefined
}

/** The environment in which `pnpm` on PATH is the pinned version; installs it into .tools/ when needed. */
export function pnpmEnv(extra = {}) {
  const base = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DENO_NO_UPDATE_CHECK: '1', ...extra }
  if (versionOf('pnpm', base) === pinned) return base
  const env = { ...base, PATH: `${toolsBin}${delimiter}${base.PATH ?? ''}` }
  if (versionOf(join(toolsBin, 'pnpm'), env) === pinned) return env
  console.log(`installing pnpm@${pinned} into .tools/ (needs only npm)`)
  const r = spawnSync(
    'npm',
    ['install', '--prefix', join(root, '.tools'), '--no-save', '--no-audit', '--no-fund', `pnpm@${pinned}`],
    { stdio: 'inherit', env: base }
  )
  if (r.status !== 0 || !existsSync(join(toolsBin, 'pnpm')))
    throw new Error(`could not install pnpm@${pinned}`)
  return env
}

/** Runs `pnpm <args>` in the repository root with the pinned pnpm; returns the exit code. */
export function runPnpm(args, options = {}) {
  const env = pnpmEnv(options.env)
  const res = spawnSync('pnpm', args, { cwd: root, stdio: options.stdio ?? 'inherit', env })
  return res.status ?? 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(runPnpm(process.argv.slice(2)))
}
