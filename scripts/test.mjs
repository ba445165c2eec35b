#!/usr/bin/env node
// The one test command (`npm test`): installs with the pinned pnpm, builds, lints, type-checks, runs every vitest
// project and every adapter's conformance suite, then prints one line `N passed, N failed, N skipped` that counts
// all of it (each check, each unit test, each conformance scenario). Exits 1 when anything failed.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { root, runPnpm } from './pnpm.mjs'

const totals = { passed: 0, failed: 0, skipped: 0 }
const lines = []
const reports = join(root, 'reports')
const conformanceDir = join(reports, 'conformance')

/** Runs a pnpm command as one check that passes or fails. */
function check(name, args) {
  console.log(`\n── ${name}: pnpm ${args.join(' ')}`)
  const ok = runPnpm(args) === 0
  totals[ok ? 'passed' : 'failed']++
  lines.push(`check ${name}: ${ok ? 'passed' : 'FAILED'}`)
  return ok
}

function finish() {
  console.log('\n── summary')
  for (const l of lines) console.log(l)
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
  process.exit(totals.failed > 0 ? 1 : 0)
}

rmSync(reports, { recursive: true, force: true })
if (!check('install', ['install'])) finish()
if (!check('build', ['turbo', 'run', 'build', '--output-logs=errors-only'])) finish()
check('lint', ['exec', 'biome', 'check', '.'])
check('typecheck', ['turbo', 'run', 'typecheck', '--output-logs=errors-only'])

console.log('\n── unit, integration and release tests: vitest')
const vitestJson = join(reports, 'vitest.json')
runPnpm(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`])
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'))
  const skipped = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  // A suite that fails to load has no tests in the counts; count it as a failure so it cannot hide.
  const brokenFiles = (v.testResults ?? []).filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0
  )
  totals.passed += v.numPassedTests
  totals.failed += v.numFailedTests + brokenFiles.length
  totals.skipped += skipped
  lines.push(
    `vitest: ${v.numPassedTests} passed, ${v.numFailedTests + brokenFiles.length} failed, ${skipped} skipped`
  )
} else {
  totals.failed++
  lines.push('vitest: FAILED (no report written)')
}

// Every workspace package with a conformance script: the adapters, and the adapter skeleton in the conformance package.
const conformanceDirs = readdirSync(join(root, 'packages')).flatMap((dir) => [
  join(root, 'packages', dir),
  ...(existsSync(join(root, 'packages', dir, 'skeleton', 'package.json'))
    ? [join(root, 'packages', dir, 'skeleton')]
    : []),
])
for (const dir of conformanceDirs) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (!manifest.scripts?.conformance) continue
  console.log(`\n── conformance: ${manifest.name}`)
  const before = new Set(existsSync(conformanceDir) ? readdirSync(conformanceDir) : [])
  const code = runPnpm(['--filter', manifest.name, 'run', 'conformance'], {
    env: { CONFORMANCE_REPORT_DIR: conformanceDir },
  })
  const written = existsSync(conformanceDir) ? readdirSync(conformanceDir).filter((f) => !before.has(f)) : []
  if (written.length === 0) {
    totals.failed++
    lines.push(`conformance ${manifest.name}: FAILED (exit ${code}, no report written)`)
  }
  for (const file of written) {
    const results = JSON.parse(readFileSync(join(conformanceDir, file), 'utf8'))
    const count = (s) => results.filter((r) => r.status === s).length
    totals.passed += count('passed')
    totals.failed += count('failed')
    totals.skipped += count('skipped')
    lines.push(
      `conformance ${file.replace(/\.json$/, '')}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`
    )
    for (const r of results.filter((r) => r.status === 'skipped'))
      lines.push(`  skipped ${r.id}: ${r.reason}`)
  }
}

// The per-runtime protocol matrix in packages/conformance/PROTOCOL.md, regenerated from the reports just written.
if (existsSync(conformanceDir))
  check('protocol matrix', ['--filter', '@honokit/ws-conformance', 'run', 'protocol-matrix', conformanceDir])

// No runtime process started by the tests may outlive them (bun, deno, workerd, a node harness). Matched by
// command, and counted only when the process runs inside this checkout (its cwd, read from /proc).
const insideRoot = (pid) => {
  try {
    return realpathSync(`/proc/${pid}/cwd`).startsWith(realpathSync(root))
  } catch {
    return false
  }
}
const runtimeProcesses = () =>
  spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => l.trim())
    .filter(
      (l) =>
        /bun\.exe|\/deno |workerd|redis-server|conformance\.ts|fixtures\//.test(l) &&
        insideRoot(l.split(' ')[0])
    )
// A server that was just stopped may need a moment to exit: look again for up to 5 s before failing.
let leftovers = runtimeProcesses()
for (let i = 0; i < 20 && leftovers.length > 0; i++) {
  spawnSync('sleep', ['0.25'])
  leftovers = runtimeProcesses()
}
totals[leftovers.length === 0 ? 'passed' : 'failed']++
lines.push(
  `check no runtime process left running: ${leftovers.length === 0 ? 'passed' : `FAILED\n${leftovers.join('\n')}`}`
)
finish()
