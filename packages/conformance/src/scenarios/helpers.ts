import assert from 'node:assert/strict'
import type { LogEntry } from '../log.ts'
import { type Client, type ConnectOptions, HandshakeRefused, within } from '../runner/client.ts'
import type { ScenarioContext } from '../runner/scenario.ts'

/** Entries of one event kind. */
export const only = (entries: LogEntry[], event: string) => entries.filter((e) => e.event === event)

/** True once the log holds an entry of `event`. */
export const has = (event: string) => (entries: LogEntry[]) => entries.some((e) => e.event === event)

/** Connects to `path` with a fresh log id appended; returns the client and the id. */
export async function open(
  t: ScenarioContext,
  path: string,
  options?: ConnectOptions
): Promise<{ client: Client; id: string }> {
  const id = t.newId()
  const sep = path.includes('?') ? '&' : '?'
  const client = await t.connect(t.wsUrl(`${path}${sep}id=${id}`), options)
  return { client, id }
}

/** Expects the handshake to `url` to be refused; returns what the client received instead. */
export async function refused(
  t: ScenarioContext,
  url: string,
  options?: ConnectOptions
): Promise<HandshakeRefused> {
  try {
    const c = await t.connect(url, options)
    c.ws.terminate()
  } catch (e) {
    if (e instanceof HandshakeRefused) return e
    throw new Error(`expected a refused handshake with an HTTP status, got: ${(e as Error).message}`)
  }
  throw new Error(`expected the handshake to ${url} to be refused, but it opened`)
}

/** Waits `ms`, so a duplicate event would have had time to arrive. */
export const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms))

/** Closes from the client and waits for the server's onClose; returns the log. */
export async function closeAndWait(
  t: ScenarioContext,
  client: Client,
  id: string,
  code?: number,
  reason?: string
) {
  client.ws.close(code, reason)
  await within(client.closed, 5000, 'the client close to complete')
  return t.waitForLog(id, has('close'))
}

/** Asserts that exactly one entry of `event` exists after a pause. */
export async function assertOnce(t: ScenarioContext, id: string, event: string): Promise<LogEntry> {
  await settle()
  const entries = only(await t.log(id), event)
  assert.equal(entries.length, 1, `expected exactly one ${event}, got ${entries.length}`)
  return entries[0]!
}
