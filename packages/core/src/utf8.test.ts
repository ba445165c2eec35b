import { describe, expect, it } from 'vitest'
import { exceeds, utf8Length } from './utf8.ts'

const encodedLength = (s: string) => new TextEncoder().encode(s).byteLength

describe('utf8Length', () => {
  it('counts one byte per ASCII character', () => {
    expect(utf8Length('')).toBe(0)
    expect(utf8Length('hello, world')).toBe(12)
  })

  it('counts two bytes for é', () => {
    expect(utf8Length('é')).toBe(2)
    expect(utf8Length('café')).toBe(5)
  })

  it('counts three bytes for € and 你', () => {
    expect(utf8Length('€')).toBe(3)
    expect(utf8Length('你')).toBe(3)
    expect(utf8Length('你好')).toBe(6)
  })

  it('counts four bytes for 🎉, a surrogate pair', () => {
    expect('🎉'.length).toBe(2)
    expect(utf8Length('🎉')).toBe(4)
    expect(utf8Length('🎉🎉')).toBe(8)
  })

  it('counts a lone surrogate as the three bytes of U+FFFD', () => {
    expect(utf8Length('\ud83c')).toBe(3)
    expect(utf8Length('\udf89')).toBe(3)
    expect(utf8Length('a\ud83cb')).toBe(5)
    expect(utf8Length('\udf89\ud83c')).toBe(6)
    expect(utf8Length('\ud83c\ud83c\udf89')).toBe(7)
  })

  it('equals the encoded byte length of a mixed string', () => {
    const mixed = 'ASCII é € 你好 🎉 \u0000 \u07ff \u0800 \uffff \u{10ffff} end'
    expect(utf8Length(mixed)).toBe(encodedLength(mixed))
  })

  it('equals the encoded byte length when lone surrogates are involved', () => {
    for (const s of ['\ud83c', 'x\udf89y', '\ud83c\ud83c\udf89', '🎉\ud83c']) {
      expect(utf8Length(s)).toBe(encodedLength(s))
    }
  })
})

describe('exceeds', () => {
  it('compares an ASCII string at and around the limit', () => {
    expect(exceeds('abcd', 4)).toBe(false)
    expect(exceeds('abcd', 5)).toBe(false)
    expect(exceeds('abcd', 3)).toBe(true)
  })

  it('measures a multi-byte string in bytes, not characters', () => {
    expect(exceeds('€€', 6)).toBe(false)
    expect(exceeds('€€', 5)).toBe(true)
    expect(exceeds('€€', 2)).toBe(true)
    expect(exceeds('🎉', 4)).toBe(false)
    expect(exceeds('🎉', 3)).toBe(true)
    expect(exceeds('é', 2)).toBe(false)
    expect(exceeds('é', 1)).toBe(true)
  })

  it('measures a long string near the limit exactly', () => {
    const s = `${'a'.repeat(1000)}€`
    expect(exceeds(s, 1003)).toBe(false)
    expect(exceeds(s, 1002)).toBe(true)
  })

  it('treats the empty string as within any limit', () => {
    expect(exceeds('', 0)).toBe(false)
  })

  it('compares an ArrayBuffer by its byte length', () => {
    expect(exceeds(new ArrayBuffer(8), 8)).toBe(false)
    expect(exceeds(new ArrayBuffer(8), 9)).toBe(false)
    expect(exceeds(new ArrayBuffer(8), 7)).toBe(true)
  })

  it('compares a view by its own bytes, not its whole buffer', () => {
    const view = new Uint8Array(new ArrayBuffer(100), 10, 4)
    expect(exceeds(view, 4)).toBe(false)
    expect(exceeds(view, 3)).toBe(true)
    expect(exceeds(new DataView(new ArrayBuffer(16), 4, 6), 6)).toBe(false)
    expect(exceeds(new DataView(new ArrayBuffer(16), 4, 6), 5)).toBe(true)
    expect(exceeds(new Uint16Array(3), 6)).toBe(false)
    expect(exceeds(new Uint16Array(3), 5)).toBe(true)
  })
})
