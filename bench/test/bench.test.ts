// Keeps `npm run bench` working: every bench server starts, echoes exactly what it was sent (checked by the load
// generator frame by frame), fans every publish out to every subscriber, and gives a memory reading. Only that the
// numbers exist is checked: timings never decide a test.
import { beforeAll, describe, expect, it } from 'vitest'
import { measure } from '../src/measure.ts'
import { flavours, prepare, runtimes, variant } from '../src/variants.ts'

beforeAll(() => prepare(), 60_000)

describe.each(runtimes)('bench servers on %s', (runtime) => {
  it.each(flavours)(
    '%s echoes, fans out to every subscriber and reports memory per idle connection',
    async (flavour) => {
      // The load generator exits non-zero (and measure throws) when an echo differs from what was sent, none came
      // back, or a subscriber missed a publish.
      const m = await measure(variant(runtime, flavour), {
        connections: 2,
        window: 4,
        payloadBytes: 64,
        warmupMs: 100,
        measureMs: 250,
        latencyMs: 150,
        subscribers: 20,
        fanoutWindow: 2,
        idle: 20,
      })
      expect(m.echo.messages).toBeGreaterThan(0)
      expect(m.latency?.p50Micros).toBeGreaterThan(0)
      expect(m.fanout?.messages).toBeGreaterThan(0)
      if (process.platform === 'linux') {
        expect(m.bytesPerIdleConnection).toBeTypeOf('number')
        expect(m.echo.serverCpuSeconds).toBeTypeOf('number')
      }
    }
  )
})
