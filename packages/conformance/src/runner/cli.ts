#!/usr/bin/env node
import { runConformance } from './run.ts'

const usage = `usage: honokit-ws-conformance --name <adapter> [--report-dir <dir>] [--filter <regex>] [--repeat <n>] -- <command…>

Starts <command> with PORT set (it must serve the fixture app from @honokit/ws-conformance on that port, and be
the runtime's real binary so that killing its PID stops it), runs every scenario, prints
"conformance <adapter>: P passed, F failed, S skipped" and writes <report-dir>/<adapter>.json.
--repeat <n> runs each selected scenario n times in a row (to find timing-dependent failures); a scenario fails
when any of its runs failed. Exits 1 when a scenario failed.`

const argv = process.argv.slice(2)
const sep = argv.indexOf('--')
const flags = sep < 0 ? argv : argv.slice(0, sep)
const command = sep < 0 ? [] : argv.slice(sep + 1)
const flag = (name: string) => {
  const i = flags.indexOf(name)
  return i < 0 ? undefined : flags[i + 1]
}
const name = flag('--name')
if (!name || command.length === 0 || flags.includes('--help')) {
  console.error(usage)
  process.exit(2)
}
const filter = flag('--filter')
const repeat = Number(flag('--repeat') ?? 1)
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`--repeat takes a whole number of runs, 1 or more; got ${flag('--repeat')}.\n\n${usage}`)
  process.exit(2)
}
// No top-level await: the package is also built as CommonJS, where it is a syntax error.
runConformance({
  name,
  command,
  reportDir: flag('--report-dir') ?? process.env.CONFORMANCE_REPORT_DIR,
  filter: filter ? new RegExp(filter) : undefined,
  repeat,
}).then(
  (summary) => process.exit(summary.failed > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
