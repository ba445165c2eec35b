import { describe, expect, it } from 'vitest'
import { createWebSocketHub } from './hub.ts'
import type { WSLogger } from './refusal-log.ts'
import { checkOptionNames, nearestName } from './settings-check.ts'

function recorder() {
  const lines: string[] = []
  const logger: WSLogger = { warn: (m) => lines.push(m), error: (m) => lines.push(m) }
  return { lines, logger }
}

describe('option names', () => {
  it('refuses an unknown helper option with the nearest valid name', () => {
    expect(() => createWebSocketHub({ maxPayloadLength: 5 } as never)).toThrow(
      /helper options: unknown option 'maxPayloadLength'\. Did you mean maxPayload \(bytes\)\?/
    )
    expect(() => createWebSocketHub({ maxConection: 5 } as never)).toThrow(/Did you mean maxConnections\?/)
    expect(() => createWebSocketHub({ loger: false } as never)).toThrow(/Did you mean logger\?/)
  })

  it("accepts the adapter's own helper options and ignores keys set to undefined", () => {
    expect(() =>
      createWebSocketHub({ baseUrl: 'x', other: undefined } as never, {
        optionNames: { helper: ['baseUrl'] },
      })
    ).not.toThrow()
  })

  it('nearestName prefers a contained name, then the edit distance', () => {
    expect(nearestName('heartBeat', ['heartbeat', 'maxPayload'])).toBe('heartbeat')
    expect(nearestName('idleTimeout', ['heartbeat', 'maxPayload'])).toMatch(/^heartbeat/)
    expect(() => checkOptionNames({ a: 1 }, ['b'], 'x')).toThrow(/x: unknown option 'a'/)
  })
})

describe('unit warnings', () => {
  it('warns once that heartbeat settings are milliseconds when one is below 1 s', () => {
    const { lines, logger } = recorder()
    createWebSocketHub({ heartbeat: { interval: 30 }, logger })
    createWebSocketHub({ heartbeat: { interval: 30 }, logger })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/heartbeat\.interval is 30 ms\. Heartbeat settings are in milliseconds/)
  })

  it('says nothing for values of a second or more', () => {
    const { lines, logger } = recorder()
    createWebSocketHub({ heartbeat: { interval: 30_000, timeout: 1000 }, logger })
    expect(lines).toEqual([])
  })
})

describe('logger', () => {
  it('refuses a logger without warn and error', () => {
    expect(() => createWebSocketHub({ logger: console.log } as never)).toThrow(
      /logger must be false or an object/
    )
  })

  it('routes refusals to the logger and to onRefusal; false silences the log only', () => {
    const { lines, logger } = recorder()
    const seen: number[] = []
    const hub = createWebSocketHub({ logger, onRefusal: (r) => seen.push(r.status) })
    hub.refused({ status: 503, cause: 'capacity', body: '', message: 'full', url: 'http://a.test/ws' })
    expect(lines).toHaveLength(1)
    expect(seen).toEqual([503])
    const quiet = createWebSocketHub({ logger: false, onRefusal: (r) => seen.push(r.status) })
    quiet.refused({ status: 403, cause: 'origin', body: '', message: 'no', url: 'http://a.test/ws' })
    expect(seen).toEqual([503, 403])
  })
})
