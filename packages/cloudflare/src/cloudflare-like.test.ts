import { describe, expect, it } from 'vitest'
import { answerClose, type CloudflareWebSocketLike, failureOf } from './cloudflare-like.ts'

/** A socket that records its close calls and throws, as workerd does, for a code it may not send. */
function socket(readyState = 2) {
  const calls: unknown[][] = []
  const ws = {
    readyState,
    send() {},
    addEventListener() {},
    close(...args: unknown[]) {
      const code = args[0] as number | undefined
      if (
        code !== undefined &&
        (code < 1000 || code === 1005 || code === 1006 || (code > 1014 && code < 3000))
      )
        throw new Error(`Invalid WebSocket close code: ${code}`)
      calls.push(args)
    },
  } satisfies CloudflareWebSocketLike
  return { ws, calls }
}

describe('answerClose', () => {
  it('echoes a valid code and reason', () => {
    const { ws, calls } = socket()
    answerClose(ws, 4001, 'bye', true)
    expect(calls).toEqual([[4001, 'bye']])
  })

  it('answers a code that may not be sent with 1002, never an echo (issue 12, input 2)', () => {
    for (const code of [999, 1004, 1006, 1015, 2999, 5000]) {
      const { ws, calls } = socket()
      answerClose(ws, code, '', true)
      expect(calls).toEqual([[1002, 'Invalid close code']])
    }
  })

  it('answers 1005 with a bare close, and a drop or an answered socket not at all', () => {
    const empty = socket()
    answerClose(empty.ws, 1005, '', true)
    expect(empty.calls).toEqual([[]])
    const drop = socket()
    answerClose(drop.ws, 1006, 'WebSocket disconnected without sending Close frame.', false)
    const done = socket(3)
    answerClose(done.ws, 1000, '', true)
    expect([drop.calls, done.calls]).toEqual([[], []])
  })
})

describe('failureOf', () => {
  it("reads the close code workerd sent from its protocol error's message", () => {
    const error = (code: number) =>
      new Error(`WebSocket protocol error; protocolError.statusCode = ${code}; protocolError.description = x`)
    expect([failureOf(error(1002)), failureOf(error(1007)), failureOf(error(1009))]).toEqual([
      'protocol-error',
      'invalid-payload',
      'message-too-big',
    ])
    expect(failureOf(new Error('Network connection lost.'))).toBeUndefined()
  })
})
