import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage } from './frame.ts'

describe('the Redis message frame', () => {
  it('carries text as text, with its topic and origin', () => {
    const message = { topic: 'room:ünï', data: 'héllo 👋', origin: 'hub-1' }
    expect(decodeMessage(encodeMessage(message))).toEqual(message)
  })

  it('carries binary byte for byte, the empty payload included', () => {
    const bytes = new Uint8Array([0, 255, 1, 254, 0])
    const got = decodeMessage(encodeMessage({ topic: 't', data: bytes, origin: 'o' }))
    expect(got?.data).toBeInstanceOf(Uint8Array)
    expect(Array.from(got?.data as Uint8Array)).toEqual([0, 255, 1, 254, 0])
    expect(decodeMessage(encodeMessage({ topic: 't', data: new Uint8Array(0), origin: 'o' }))?.data).toEqual(
      new Uint8Array(0)
    )
    expect(decodeMessage(encodeMessage({ topic: 't', data: '', origin: 'o' }))?.data).toBe('')
  })

  it('reads a frame inside a larger buffer (as a client may hand it over) and copies binary out of it', () => {
    const frame = encodeMessage({ topic: 'x', data: new Uint8Array([7, 8]), origin: 'o' })
    const big = new Uint8Array(frame.length + 10)
    big.set(frame, 5)
    const inside = big.subarray(5, 5 + frame.length)
    const got = decodeMessage(inside)
    expect(Array.from(got?.data as Uint8Array)).toEqual([7, 8])
    big.fill(0)
    expect(Array.from(got?.data as Uint8Array)).toEqual([7, 8])
  })

  it('ignores what it did not make: foreign text, truncated frames, bad UTF-8', () => {
    const enc = new TextEncoder()
    expect(decodeMessage(enc.encode('hello from redis-cli'))).toBeUndefined()
    const frame = encodeMessage({ topic: 'topic', data: 'x', origin: 'origin' })
    for (const cut of [1, 5, 8, 12]) expect(decodeMessage(frame.subarray(0, cut))).toBeUndefined()
    const bad = encodeMessage({ topic: 't', data: 'ok', origin: 'o' })
    bad[bad.length - 1] = 0xff
    expect(decodeMessage(bad)).toBeUndefined()
  })

  it('refuses a topic over 65,535 UTF-8 bytes with a RangeError that says so', () => {
    expect(() => encodeMessage({ topic: 'x'.repeat(65_536), data: '', origin: 'o' })).toThrow(
      /a topic carried through Redis may have at most 65535 UTF-8 bytes/
    )
  })
})
