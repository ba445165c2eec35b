import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { CapabilityReport } from '../capabilities.ts'
import type { LogEntry } from '../log.ts'
import { scenarios as allScenarios } from '../scenarios/index.ts'
import { within } from './client.ts'
import { runScenario, type Scenario, type ScenarioContext, type ScenarioResult } from './scenario.ts'
import { type ServerProcess, startServer } from './spawn.ts'
import { type InProcessTarget, inProcessTarget, processTarget, type Target } from './transport.ts'

/** Options of `runConformance`: a `command` to spawn (real sockets), or an in-process `target`. */
export interface RunOptions {
  /** The adapter's name, used in the summary line and the report file name. */
  name: string
  /** The command that serves the fixture app on `PORT`: the runtime's real binary first. */
  command?: string[]
  cwd?: string
  env?: Record<string, string>
  /**
   * Instead of `command`: the fixture app served in this process through an in-memory transport (what
   * `@honokit/ws-testing` provides). The same scenarios run; those needing a real socket are skipped by capability.
   */
  target?: InProcessTarget
  /** Where `<name>.json` is written (default `reports/conformance` under the current directory). */
  reportDir?: string
  /** Only scenarios whose id matches (for local debugging). */
  filter?: RegExp
  /** Where progress lines go (default stdout). */
  print?: (line: string) => void
  /** Scenarios to run instead of the built-in suite. */
  scenarios?: Scenario[]
  /**
   * Runs each scenario this many times in a row (default 1), to find timing-dependent failures: a scenario fails
   * when any run failed, and its reason says how many runs failed and the first failure.
   */
  repeat?: number
}

/** Runs `s` `repeat` times; one result that fails if any run failed, counting the failures. */
async function runRepeated(
  s: Scenario,
  t: ScenarioContext,
  capabilities: CapabilityReport,
  repeat: number
): Promise<ScenarioResult> {
  let first = await runScenario(s, t, capabilities)
  if (repeat <= 1 || first.status === 'skipped') return first
  let failed = first.status === 'failed' ? 1 : 0
  let ms = first.ms
  for (let i = 1; i < repeat; i++) {
    const r = await runScenario(s, t, capabilities)
    ms += r.ms
    if (r.status === 'failed') {
      if (failed === 0) first = { ...r, reason: `run ${i + 1}: ${r.reason}` }
      failed++
    }
  }
  if (failed === 0) return { ...first, ms, note: [first.note, `${repeat} runs`].filter(Boolean).join('; ') }
  return {
    ...first,
    status: 'failed',
    ms,
    reason: `failed ${failed} of ${repeat} runs; first: ${first.reason}`,
  }
}

/** The result of a conformance run. */
export interface RunSummary {
  name: string
  passed: number
  failed: number
  skipped: number
  results: ScenarioResult[]
  reportPath: string
}

function contextFor(server: Target): ScenarioContext {
  const base = `127.0.0.1:${server.port}`
  const log = async (id: string): Promise<LogEntry[]> => {
    const res = await server.fetch(`http://${base}/log/${encodeURIComponent(id)}`)
    return (await res.json()) as LogEntry[]
  }
  const t: ScenarioContext = {
    port: server.port,
    connect: (url, options) => server.connect(url, options),
    fetch: (url, init) => server.fetch(url, init),
    wsUrl: (path) => `ws://${base}${path}`,
    httpUrl: (path) => `http://${base}${path}`,
    newId: () => randomUUID(),
    log,
    note: () => {},
    async waitForLog(id, done, ms = 5000) {
      const deadline = Date.now() + ms
      let entries: LogEntry[] = []
      while (Date.now() < deadline) {
        entries = await log(id)
        if (done(entries)) return entries
        await new Promise((r) => setTimeout(r, 20))
      }
      throw new Error(
        `the server log did not reach the expected state in ${ms} ms: ${JSON.stringify(entries)}`
      )
    },
    outputLines: (text) =>
      server
        .fullOutput()
        .split('\n')
        .filter((line) => line.includes(text)),
    async waitForOutput(text, count = 1, ms = 5000) {
      const deadline = Date.now() + ms
      for (;;) {
        const lines = t.outputLines(text)
        if (lines.length >= count) return lines
        if (Date.now() > deadline)
          throw new Error(
            `the server wrote ${lines.length} line(s) containing ${JSON.stringify(text)} in ${ms} ms, ` +
              `expected ${count}. Its last output:\n${server.output().slice(-1500)}`
          )
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    async assertServerAlive() {
      const c = await server.connect(`ws://${base}/ws/echo?id=alive-${randomUUID()}`)
      c.ws.send('alive?')
      const echo = await c.next()
      c.ws.close()
      await within(c.closed, 5000, 'the liveness connection to close')
      if (echo.text !== 'alive?') throw new Error(`liveness echo was '${echo.text}'`)
    },
  }
  return t
}

/**
 * Starts the server under test, runs every scenario against it over real sockets, stops it, writes
 * `<reportDir>/<name>.json` and prints one line per scenario plus the summary line
 * `conformance <name>: P passed, F failed, S skipped`, followed by each skip's capability reason.
 */
export async function runConformance(options: RunOptions): Promise<RunSummary> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const selected = (options.scenarios ?? allScenarios).filter(
    (s) => !options.filter || options.filter.test(s.id)
  )
  const results: ScenarioResult[] = []
  let spawned: ServerProcess | undefined
  try {
    let server: Target
    if (options.target) server = inProcessTarget(options.target)
    else if (options.command?.length) {
      spawned = await startServer(options.command, { cwd: options.cwd, env: options.env })
      server = processTarget(spawned)
    } else throw new Error('runConformance needs a command that starts the server, or an in-process target.')
    const capabilities = (await (
      await server.fetch(`http://127.0.0.1:${server.port}/capabilities`)
    ).json()) as CapabilityReport
    const t = contextFor(server)
    for (const s of selected) {
      const exited = server.exited()
      const r: ScenarioResult = exited
        ? {
            id: s.id,
            title: s.title,
            status: 'failed',
            reason: `the server process exited (${exited})`,
            ms: 0,
          }
        : await runRepeated(s, t, capabilities, options.repeat ?? 1)
      results.push(r)
      const mark = r.status === 'passed' ? '✓' : r.status === 'failed' ? '✗' : '-'
      const tail = r.status === 'passed' ? ` (${r.ms} ms)${r.note ? ` — ${r.note}` : ''}` : ` — ${r.reason}`
      print(`  ${mark} ${r.id} ${r.title}${tail}`)
    }
    const exited = server.exited()
    if (exited)
      print(`  the server process exited during the run (${exited}); its last output:\n${server.output()}`)
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    for (const s of selected.slice(results.length))
      results.push({ id: s.id, title: s.title, status: 'failed', reason, ms: 0 })
    print(`  could not run the suite: ${reason}`)
  } finally {
    await spawned?.stop()
  }
  const count = (status: ScenarioResult['status']) => results.filter((r) => r.status === status).length
  const summary = {
    name: options.name,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    results,
    reportPath: resolve(options.reportDir ?? join('reports', 'conformance'), `${options.name}.json`),
  }
  await mkdir(resolve(summary.reportPath, '..'), { recursive: true })
  await writeFile(
    summary.reportPath,
    `${JSON.stringify(
      results.map(({ id, title, status, reason, note }) => ({
        id,
        title,
        status,
        ...(reason ? { reason } : {}),
        ...(note ? { note } : {}),
      })),
      null,
      2
    )}\n`
  )
  print(
    `conformance ${summary.name}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`
  )
  for (const r of results) if (r.status === 'skipped') print(`  skipped ${r.id} (${r.title}): ${r.reason}`)
  return summary
}
