import { describe, expect, it } from 'vitest'
import { closeBody, describeFrames, frame, OP, parseFrames, readClose } from './raw-socket.ts'

describe('raw frames', () => {
  it('builds masked frames the parser reads back, for 7-, 16- and 64-bit lengths', () => {
    for (const n of [0, 125, 126, 65535, 65536]) {
      const payload = Buffer.alloc(n, 0x61)
      const { frames, rest } = parseFrames(frame({ opcode: OP.binary, payload }))
      expect(rest.length).toBe(0)
      expect(frames).toHaveLength(1)
      expect(frames[0]!.masked).toBe(true)
      expect(frames[0]!.payload.equals(payload)).toBe(true)
    }
  })

  it('keeps FIN, reserved bits and opcodes as given, also the ones that break the rules', () => {
    const bytes = frame({ opcode: 11, payload: 'x', fin: false, rsv: 5, mask: false })
    expect([...bytes]).toEqual([0x5b, 1, 0x78])
    const [f] = parseFrames(bytes).frames
    expect([f!.fin, f!.rsv, f!.opcode, f!.masked]).toEqual([false, 5, 11, false])
  })

  it('leaves an incomplete frame in the rest', () => {
    const whole = frame({ opcode: OP.text, payload: 'hello' })
    const { frames, rest } = parseFrames(whole.subarray(0, whole.length - 1))
    expect(frames).toHaveLength(0)
    expect(rest.length).toBe(whole.length - 1)
  })

  it('reads Close bodies, an empty one as 1005, and describes frames for failure messages', () => {
    expect(readClose(closeBody(4000, 'bye'))).toEqual({ code: 4000, reason: 'bye' })
    expect(readClose(Buffer.alloc(0))).toEqual({ code: 1005, reason: '' })
    const { frames } = parseFrames(
      Buffer.concat([
        frame({ opcode: OP.text, payload: 'hi', mask: false }),
        frame({ opcode: OP.close, payload: closeBody(1002), mask: false }),
      ])
    )
    expect(describeFrames(frames)).toBe('text "hi", close(1002)')
  })
})
