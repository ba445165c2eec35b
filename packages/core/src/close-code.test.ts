import { describe, expect, it } from 'vitest'
import { isSendableCloseCode, MAX_CLOSE_REASON_BYTES, normalizeCloseArgs } from './close-code.ts'

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

const SENDABLE = [...range(1000, 1003), ...range(1007, 1014), ...range(3000, 4999)]
const NOT_SENDABLE = [999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 1000.5, 3000.1, Number.NaN]

describe('isSendableCloseCode', () => {
  it('accepts every code of 1000-1003, 1007-1014 and 3000-4999', () => {
    const rejected = SENDABLE.filter((code) => !isSendableCloseCode(code))
    expect(rejected).toEqual([])
    expect(SENDABLE).toHaveLength(4 + 8 + 2000)
  })

  it.each(NOT_SENDABLE)('rejects %s', (code) => {
    expect(isSendableCloseCode(code)).toBe(false)
  })

  it('rejects infinities and negative codes', () => {
    expect(isSendableCloseCode(Number.POSITIVE_INFINITY)).toBe(false)
    expect(isSendableCloseCode(-1000)).toBe(false)
    expect(isSendableCloseCode(0)).toBe(false)
  })
})

describe('normalizeCloseArgs', () => {
  it('returns every sendable code unchanged', () => {
    const changed = SENDABLE.filter((code) => normalizeCloseArgs(code, 'bye').code !== code)
    expect(changed).toEqual([])
  })

  it.each(NOT_SENDABLE)('throws a RangeError naming 3000 to 4999 for %s', (code) => {
    expect(() => normalizeCloseArgs(code)).toThrow(RangeError)
    expect(() => normalizeCloseArgs(code)).toThrow(/3000 to 4999/)
  })

  it('names the rejected code in the message', () => {
    expect(() => normalizeCloseArgs(1005)).toThrow(/ws\.close\(1005\)/)
  })

  it('rejects a code that is not a number', () => {
    expect(() => normalizeCloseArgs('1000' as unknown as number)).toThrow(RangeError)
  })

  it('defaults the code to 1000 and the reason to an empty string', () => {
    expect(normalizeCloseArgs()).toEqual({ code: 1000, reason: '' })
    expect(normalizeCloseArgs(undefined, 'done')).toEqual({ code: 1000, reason: 'done' })
    expect(normalizeCloseArgs(4000)).toEqual({ code: 4000, reason: '' })
  })

  it('limits the reason to 123 bytes', () => {
    expect(MAX_CLOSE_REASON_BYTES).toBe(123)
  })

  it('accepts a reason of exactly 123 UTF-8 bytes', () => {
    const reason = 'a'.repeat(123)
    expect(normalizeCloseArgs(1000, reason)).toEqual({ code: 1000, reason })
  })

  it('rejects a reason of 124 UTF-8 bytes with a RangeError', () => {
    expect(() => normalizeCloseArgs(1000, 'a'.repeat(124))).toThrow(RangeError)
    expect(() => normalizeCloseArgs(1000, 'a'.repeat(124))).toThrow(/124 bytes/)
  })

  it("counts 'é' as 2 bytes", () => {
    // 61 × 2 + 1 = 123 bytes in 62 characters
    const fits = `${'é'.repeat(61)}a`
    expect(fits).toHaveLength(62)
    expect(normalizeCloseArgs(1000, fits).reason).toBe(fits)
    // 62 × 2 = 124 bytes in only 62 characters
    const tooLong = 'é'.repeat(62)
    expect(() => normalizeCloseArgs(1000, tooLong)).toThrow(RangeError)
  })

  it("counts '🎉' as 4 bytes", () => {
    // 30 × 4 + 3 = 123 bytes
    const fits = `${'🎉'.repeat(30)}abc`
    expect(normalizeCloseArgs(3000, fits).reason).toBe(fits)
    // 30 × 4 + 4 = 124 bytes, although only 64 UTF-16 units
    const tooLong = `${'🎉'.repeat(30)}abcd`
    expect(tooLong).toHaveLength(64)
    expect(() => normalizeCloseArgs(3000, tooLong)).toThrow(/124 bytes/)
  })

  it('rejects a reason that is not a string with a TypeError', () => {
    expect(() => normalizeCloseArgs(1000, 42 as unknown as string)).toThrow(TypeError)
    expect(() => normalizeCloseArgs(1000, 42 as unknown as string)).toThrow(/must be a string, got number/)
    expect(() => normalizeCloseArgs(1000, {} as unknown as string)).toThrow(TypeError)
  })

  it('treats a null reason as empty', () => {
    expect(normalizeCloseArgs(1000, null as unknown as string)).toEqual({ code: 1000, reason: '' })
  })
})
