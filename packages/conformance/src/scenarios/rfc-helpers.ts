import assert from 'node:assert/strict'
import type { LogEntry } from '../log.ts'
import { closeBody, type FrameSpec, OP, RawSocket, type WireFrame } from '../runner/raw-socket.ts'
import type { ScenarioContext } from '../runner/scenario.ts'
import { has, only, settle } from './helpers.ts'

/** Opens a raw connection to `path` with a fresh log id; returns it and the id. */
export async function rawOpen(
  t: ScenarioContext,
  path = '/ws/echo',
  options?: Parameters<typeof RawSocket.open>[2]
): Promise<{ raw: RawSocket; id: string }> {
  const id = t.newId()
  const sep = path.includes('?') ? '&' : '?'
  const raw = await RawSocket.open(t.port, `${path}${sep}id=${id}`, options)
  return { raw, id }
}

const reports = new Map<number, Promise<Record<string, { supported: boolean }>>>()

/** The declared capabilities of the server under test (read once per server). */
export function capabilities(t: ScenarioContext): Promise<Record<string, { supported: boolean }>> {
  let report = reports.get(t.port)
  if (!report) {
    report = fetch(t.httpUrl('/capabilities')).then(
      (r) => r.json() as Promise<Record<string, { supported: boolean }>>
    )
    reports.set(t.port, report)
  }
  return report
}

/** Server frames are never masked (RFC 6455 §5.1). */
export function assertUnmasked(frames: WireFrame[]): void {
  const masked = frames.filter((f) => f.masked)
  assert.equal(masked.length, 0, `the server sent ${masked.length} masked frame(s)`)
}

/** Sends one message (as frames) and expects it echoed whole as one data frame of the same type and bytes. */
export async function echoes(
  t: ScenarioContext,
  parts: (FrameSpec | Buffer)[],
  expected: { opcode: number; payload: Buffer }
): Promise<void> {
  const { raw, id } = await rawOpen(t)
  raw.send(...parts)
  const [got] = await raw.take(expected.opcode, 1)
  assert.equal(got!.fin, true, 'the echo is one frame with FIN set')
  assert.equal(got!.rsv, 0, 'the echo has no reserved bits set')
  assert.ok(
    got!.payload.equals(expected.payload),
    `the echo holds other bytes: <${got!.payload.length} bytes>`
  )
  assertUnmasked(raw.frames)
  await closeCleanly(t, raw, id)
}

/** Closes from the client with 1000 and expects a clean close on both sides. */
export async function closeCleanly(t: ScenarioContext, raw: RawSocket, id: string): Promise<void> {
  raw.send({ opcode: OP.close, payload: Buffer.from([0x03, 0xe8]) })
  const out = await raw.outcome()
  assert.equal(out.close?.code, 1000, `expected the Close 1000 answered, got: ${raw.describe()}`)
  await t.waitForLog(id, has('close'))
}

/** The `onClose` entries of a connection, once they had time to repeat. */
export async function closeEntries(t: ScenarioContext, id: string): Promise<LogEntry[]> {
  await t.waitForLog(id, has('close'))
  await settle()
  return only(await t.log(id), 'close')
}

export interface FaultExpectation {
  /** The Close code the server must send (and report to onClose). */
  code: number
  /** Frames sent before the fault, each a complete message the server must still echo first. */
  before?: (FrameSpec | Buffer)[]
  /** The number of echo frames `before` produces (default: one per entry). */
  echoes?: number
  path?: string
  /** Sends the fault frames one write each. */
  separately?: boolean
}

/**
 * Sends `fault` and expects the server to fail the connection: a Close frame with `code` (and no echo of the
 * faulty message), TCP ended, and `onClose` once with `code` and `wasClean: false`, no `onMessage` for the fault.
 */
export async function failsWith(
  t: ScenarioContext,
  fault: (FrameSpec | Buffer)[],
  expect: FaultExpectation
): Promise<void> {
  const { raw, id } = await rawOpen(t, expect.path)
  const before = expect.before ?? []
  if (before.length) {
    raw.send(...before)
    await raw.until(
      () => raw.dataFrames().length >= (expect.echoes ?? before.length),
      5000,
      'the echo of the messages before the fault'
    )
  }
  if (expect.separately) await raw.sendEach(...fault)
  else raw.send(...fault)
  const out = await raw.outcome()
  const data = out.frames.filter((f) => f.opcode === OP.text || f.opcode === OP.binary)
  assert.equal(
    data.length,
    expect.echoes ?? before.length,
    `the faulty message must not be echoed; frames: ${raw.describe()}`
  )
  assert.ok(out.close, `expected Close ${expect.code}; got ${raw.describe()}`)
  assert.equal(out.close.code, expect.code, `expected Close ${expect.code}; got ${raw.describe()}`)
  // Where the runtime keeps TCP open after a Close it sent (a declared capability), the client ends it (§7.1.1).
  if ((await capabilities(t)).promptServerClose?.supported !== false)
    assert.ok(out.ended, `the server must end TCP after failing the connection: ${raw.describe()}`)
  await assertFailedOnServer(t, id, expect.code, expect.echoes ?? before.length)
}

/** `onClose` ran once with `code` and `wasClean: false`, after `messages` onMessage calls and no more. */
export async function assertFailedOnServer(
  t: ScenarioContext,
  id: string,
  code: number | number[],
  messages = 0
): Promise<LogEntry> {
  const closes = await closeEntries(t, id)
  const codes = Array.isArray(code) ? code : [code]
  assert.equal(closes.length, 1, `expected onClose once, got ${closes.length}: ${JSON.stringify(closes)}`)
  const c = closes[0]!
  const errors = only(await t.log(id), 'error').map((e) => e.error)
  const seen = `${errors.length ? `; onError saw: ${errors.join(' | ')}` : ''}`
  assert.ok(
    codes.includes(c.code as number),
    `onClose reported ${c.code} (${c.reason}), expected ${codes.join(' or ')}${seen}`
  )
  assert.equal(
    c.wasClean,
    false,
    `onClose reported wasClean true for a failed connection (code ${c.code})${seen}`
  )
  const got = only(await t.log(id), 'message')
  assert.equal(got.length, messages, `onMessage ran ${got.length} time(s), expected ${messages}`)
  return c
}

/** The bytes of `hex` ("61 c3 28"). */
export const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex')

/** Frame specs for the raw client. */
export const text = (s: string | Buffer, fin = true) => ({ opcode: OP.text, payload: s, fin })
export const binary = (s: string | Buffer, fin = true) => ({ opcode: OP.binary, payload: s, fin })
export const cont = (s: string | Buffer, fin = true) => ({ opcode: OP.cont, payload: s, fin })
export const closeFrame = (code: number, reason: string | Buffer = '') => ({
  opcode: OP.close,
  payload: closeBody(code, reason),
})
export const bytes = (n: number, fill = 0x61) => Buffer.alloc(n, fill)
