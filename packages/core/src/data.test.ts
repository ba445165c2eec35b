import { describe, expect, it } from 'vitest'
import { toExactArrayBuffer, toSendable } from './data.ts'
import type { WSSendData } from './types.ts'

const bytesOf = (data: string | Uint8Array): number[] => {
  if (typeof data === 'string') throw new Error('expected bytes, got a string')
  return Array.from(data)
}

describe('toSendable', () => {
  it('returns strings unchanged', () => {
    expect(toSendable('hello')).toBe('hello')
    expect(toSendable('')).toBe('')
    expect(toSendable('🎉 é')).toBe('🎉 é')
  })

  it('returns an ArrayBuffer as a Uint8Array over all of its bytes', () => {
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer
    const out = toSendable(buffer)
    expect(out).toBeInstanceOf(Uint8Array)
    const view = out as Uint8Array
    expect(view.buffer).toBe(buffer)
    expect(view.byteOffset).toBe(0)
    expect(view.byteLength).toBe(4)
    expect(bytesOf(view)).toEqual([1, 2, 3, 4])
  })

  it('returns an empty ArrayBuffer as an empty Uint8Array', () => {
    const out = toSendable(new ArrayBuffer(0))
    expect(out).toBeInstanceOf(Uint8Array)
    expect((out as Uint8Array).byteLength).toBe(0)
  })

  it('returns exactly the bytes of a Uint8Array subarray with an offset', () => {
    const whole = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const sub = whole.subarray(3, 7)
    const out = toSendable(sub) as Uint8Array
    expect(out).toBeInstanceOf(Uint8Array)
    expect(out.buffer).toBe(whole.buffer)
    expect(out.byteOffset).toBe(3)
    expect(out.byteLength).toBe(4)
    expect(bytesOf(out)).toEqual([3, 4, 5, 6])
  })

  it('returns exactly the bytes of a DataView into a larger buffer', () => {
    const buffer = new Uint8Array([10, 11, 12, 13, 14, 15]).buffer
    const out = toSendable(new DataView(buffer, 2, 3)) as Uint8Array
    expect(out).toBeInstanceOf(Uint8Array)
    expect(out.byteOffset).toBe(2)
    expect(out.byteLength).toBe(3)
    expect(bytesOf(out)).toEqual([12, 13, 14])
  })

  it('returns the bytes, not the elements, of a Uint16Array view', () => {
    const buffer = new ArrayBuffer(8)
    const u16 = new Uint16Array(buffer, 2, 2)
    u16[0] = 0x0102
    u16[1] = 0x0304
    const out = toSendable(u16) as Uint8Array
    expect(out).toBeInstanceOf(Uint8Array)
    expect(out.byteOffset).toBe(2)
    expect(out.byteLength).toBe(4)
    const expected = Array.from(new Uint8Array(buffer, 2, 4))
    expect(bytesOf(out)).toEqual(expected)
    expect(bytesOf(out).sort()).toEqual([1, 2, 3, 4])
  })

  it.each([
    ['a number', 42, /got number/],
    ['an object', { a: 1 }, /got Object/],
    ['null', null, /got null/],
    ['a boolean', true, /got boolean/],
    ['undefined', undefined, /got undefined/],
  ])('throws a TypeError naming the accepted types for %s', (_name, value, kind) => {
    const send = () => toSendable(value as unknown as WSSendData)
    expect(send).toThrow(TypeError)
    expect(send).toThrow(/a string, an ArrayBuffer or an ArrayBufferView/)
    expect(send).toThrow(kind)
  })

  it('throws a TypeError for a Blob-like object and tells how to read it', () => {
    class Blob {
      size = 3
      type = ''
      arrayBuffer() {
        return Promise.resolve(new ArrayBuffer(3))
      }
    }
    const send = () => toSendable(new Blob() as unknown as WSSendData)
    expect(send).toThrow(TypeError)
    expect(send).toThrow(/a string, an ArrayBuffer or an ArrayBufferView/)
    expect(send).toThrow(/got Blob/)
    expect(send).toThrow(/blob\.arrayBuffer\(\)/)
  })

  it('throws a TypeError for an object without a prototype', () => {
    expect(() => toSendable(Object.create(null) as WSSendData)).toThrow(TypeError)
  })
})

describe('toExactArrayBuffer', () => {
  it('passes an ArrayBuffer through by identity', () => {
    const buffer = new ArrayBuffer(5)
    expect(toExactArrayBuffer(buffer)).toBe(buffer)
  })

  it('returns the buffer itself for a view covering the whole buffer', () => {
    const view = new Uint8Array([1, 2, 3])
    expect(toExactArrayBuffer(view)).toBe(view.buffer)
    const dv = new DataView(new ArrayBuffer(4))
    expect(toExactArrayBuffer(dv)).toBe(dv.buffer)
    const u32 = new Uint32Array(2)
    expect(toExactArrayBuffer(u32)).toBe(u32.buffer)
  })

  it('returns a copy of exactly the bytes of a view into a larger buffer', () => {
    const source = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7])
    const view = source.subarray(2, 5)
    const out = toExactArrayBuffer(view)
    expect(out).toBeInstanceOf(ArrayBuffer)
    expect(out).not.toBe(source.buffer)
    expect(out.byteLength).toBe(3)
    expect(Array.from(new Uint8Array(out))).toEqual([2, 3, 4])
  })

  it('copies a view that starts at 0 but ends before the end of its buffer', () => {
    const source = new Uint8Array([9, 8, 7, 6])
    const out = toExactArrayBuffer(source.subarray(0, 2))
    expect(out).not.toBe(source.buffer)
    expect(Array.from(new Uint8Array(out))).toEqual([9, 8])
  })

  it('keeps the copy unchanged when the source is mutated afterwards', () => {
    const source = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7])
    const out = toExactArrayBuffer(source.subarray(4))
    source.fill(0xff)
    expect(Array.from(new Uint8Array(out))).toEqual([4, 5, 6, 7])
  })

  it('copies exactly the bytes of a DataView into a larger buffer', () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5, 6]).buffer
    const out = toExactArrayBuffer(new DataView(buffer, 1, 4))
    expect(out).not.toBe(buffer)
    expect(Array.from(new Uint8Array(out))).toEqual([2, 3, 4, 5])
  })
})
