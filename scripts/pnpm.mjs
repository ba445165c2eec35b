#!/usr/bin/env node
// Runs the pinned pnpm (TOOLCHAIN.md: pnpm 11 crashes on Node 20, corepack fails without registry signatures).
// Uses a pnpm on PATH when it is the pinned version, otherwise `npx -y pnpm@<pinned>`; needs only Node.js and npm.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const pinned = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
).packageManager.split('@')[1]

/** Returns the command and leading args that start the pinned pnpm. */
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
  if (probe.status === 0 && probe.stdout.trim() === pinned) return ['pnpm', []]
  return ['npx', ['-y', `pnpm@${pinned}`]]
}

/** Runs pnpm with `args` in the repository root; returns the exit code. */
export function runPnpm(args, options = {}) {
  const [cmd, lead] = pnpmCommand()
  const res = spawnSync(cmd, [...lead, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DENO_NO_UPDATE_CHECK: '1', ...options.env },
  })
  return res.status ?? 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(runPnpm(process.argv.slice(2)))
}
