import type { CapabilityName, CapabilityReport } from '../capabilities.ts'
import type { LogEntry } from '../log.ts'
import { type Client, type ConnectOptions, within } from './client.ts'

/** What a scenario gets to talk to the server under test. */
export interface ScenarioContext {
  /** The server's port on 127.0.0.1 (in-process: the port written in URLs; nothing listens on it). */
  port: number
  /**
   * Opens a WebSocket client to `url` through the run's transport (a real socket, or in-memory in-process);
   * rejects with `HandshakeRefused` when refused. Scenarios connect through this, never directly.
   */
  connect(url: string, options?: ConnectOptions): Promise<Client>
  /** An HTTP request to the server under test, through the run's transport. */
  fetch(url: string, init?: RequestInit): Promise<Response>
  /** `ws://127.0.0.1:PORT` + `path`. */
  wsUrl(path: string): string
  /** `http://127.0.0.1:PORT` + `path`. */
  httpUrl(path: string): string
  /** A fresh connection id for the fixture's event log. */
  newId(): string
  /** The server-side log of connection `id`. */
  log(id: string): Promise<LogEntry[]>
  /** Polls the log of `id` until `done(entries)` holds; rejects after `ms` showing what the log held. */
  waitForLog(id: string, done: (entries: LogEntry[]) => boolean, ms?: number): Promise<LogEntry[]>
  /**
   * Polls what the server process wrote (stdout and stderr) until `count(lines)` of the lines containing `text` is
   * reached; resolves with those lines, rejects after `ms` showing the server's last output.
   */
  waitForOutput(text: string, count?: number, ms?: number): Promise<string[]>
  /** The lines the server process wrote so far that contain `text`. */
  outputLines(text: string): string[]
  /** Fails unless the server still answers a new connection with an echo. */
  assertServerAlive(): Promise<void>
  /** Records a measured fact with the result (printed after the scenario, kept in the report). */
  note(text: string): void
}

/** One behaviour under test, with a stable id that prefixes its test name. */
export interface Scenario {
  id: string
  title: string
  /** Capabilities that must be declared supported; otherwise the scenario is skipped with the declared reason. */
  requires?: CapabilityName[]
  /** Upper bound for the whole scenario, in ms (default 10,000). */
  timeout?: number
  run(t: ScenarioContext): Promise<void>
}

/** The outcome of one scenario, as written to the JSON report. */
export interface ScenarioResult {
  id: string
  title: string
  status: 'passed' | 'failed' | 'skipped'
  reason?: string
  note?: string
  ms: number
}

/** Declares a scenario. */
export const scenario = (s: Scenario): Scenario => s

/** Runs one scenario against the server, honouring declared capabilities and the timeout. */
export async function runScenario(
  s: Scenario,
  t: ScenarioContext,
  capabilities: CapabilityReport
): Promise<ScenarioResult> {
  const started = Date.now()
  const missing = (s.requires ?? []).filter((name) => !capabilities[name]?.supported)
  if (missing.length > 0) {
    const reason = missing.map((m) => `${m}: ${capabilities[m]?.reason ?? 'not declared'}`).join('; ')
    return { id: s.id, title: s.title, status: 'skipped', reason, ms: 0 }
  }
  const notes: string[] = []
  const withNotes: ScenarioContext = { ...t, note: (text) => notes.push(text) }
  try {
    await within(s.run(withNotes), s.timeout ?? 10_000, `scenario ${s.id}`)
    const note = notes.length > 0 ? notes.join('; ') : undefined
    return { id: s.id, title: s.title, status: 'passed', ms: Date.now() - started, ...(note ? { note } : {}) }
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    return { id: s.id, title: s.title, status: 'failed', reason, ms: Date.now() - started }
  }
}
