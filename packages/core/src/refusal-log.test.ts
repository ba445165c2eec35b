import { describe, expect, it } from 'vitest'
import { refusal } from './refusal.ts'
import { createRefusalLog, type WSLogger } from './refusal-log.ts'

function recorder() {
  const lines: string[] = []
  const logger: WSLogger = { warn: (m) => lines.push(m), error: (m) => lines.push(m) }
  return { lines, logger }
}

const originRefusal = (origin: string, path = '/ws') => ({
  ...refusal(403, 'origin', 'body', `Origin ${origin} is not allowed`, { origin }),
  url: `http://srv.test${path}`,
})

describe('createRefusalLog', () => {
  it('writes one line naming the path, the status and the message', () => {
    const { lines, logger } = recorder()
    createRefusalLog(logger)(originRefusal('http://evil.test'))
    expect(lines).toEqual([
      '[honokit/ws] refused a WebSocket upgrade to /ws with 403: Origin http://evil.test is not allowed',
    ])
  })

  it('logs a repeat of the same refusal once per repeatMs and counts the rest on the next line', () => {
    let now = 0
    const { lines, logger } = recorder()
    const log = createRefusalLog(logger, { now: () => now })
    for (let i = 0; i < 500; i++) log(originRefusal('http://evil.test'))
    expect(lines).toHaveLength(1)
    now = 30_000
    log(originRefusal('http://other.test'))
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain('(499 more refusals in the last 30 s not logged: rate limit)')
    now = 61_000
    log(originRefusal('http://evil.test'))
    expect(lines).toHaveLength(3)
  })

  it('writes at most `burst` lines per window when every refusal differs', () => {
    let now = 0
    const { lines, logger } = recorder()
    const log = createRefusalLog(logger, { now: () => now, burst: 10, burstMs: 10_000 })
    for (let i = 0; i < 1000; i++) log(originRefusal(`http://evil-${i}.test`))
    expect(lines).toHaveLength(10)
    now = 10_000
    log(originRefusal('http://late.test'))
    expect(lines).toHaveLength(11)
    expect(lines[10]).toContain('990 more refusals')
  })

  it('tells refusals of different paths and causes apart', () => {
    const { lines, logger } = recorder()
    const log = createRefusalLog(logger)
    log(originRefusal('http://evil.test', '/a'))
    log(originRefusal('http://evil.test', '/b'))
    log({ ...refusal(503, 'capacity', 'b', 'full'), url: 'http://srv.test/a' })
    expect(lines).toHaveLength(3)
  })
})
