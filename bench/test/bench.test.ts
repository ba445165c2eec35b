// Keeps `npm run bench` working: every bench server starts, echoes exactly what it was sent (checked by the load
// generator frame by frame), fans every publish out to every subscriber, and gives a memory reading, with the
// servers of a runtime taking turns under load as in the bench, and alone as the profiles measure them. Only that the
// numbers exist is checked: timings never decide a test.
import { beforeAll, describe, expect, it } from 'vitest'
import { type MeasureOptions, measure, measureRound } from '../src/measure.ts'
import { flavours, prepare, runtimes, variant } from '../src/variants.ts'

beforeAll(() => prepare(), 60_000)

const small: MeasureOptions = {
  connections: 2,
  window: 4,
  payloadBytes: 64,
  warmupMs: 100,
  measureMs: 250,
  // Three slices per server, so the servers take turns more than once.
  sliceMs: 80,
  latencyMs: 150,
  subscribers: 20,
  fanoutWindow: 2,
  idle: 20,
}

describe.each(runtimes)('bench servers on %s', (runtime) => {
  it('every server echoes, fans out to every subscriber and reports memory per idle connection, in turns', async () => {
    // The load generator exits non-zero (and measureRound throws) when an echo differs from what was sent, none came
    // back, or a subscriber missed a publish.
    const ms = await measureRound(
      flavours.map((flavour) => variant(runtime, flavour)),
      small
    )
    expect(ms).toHaveLength(flavours.length)
    for (const m of ms) {
      expect(m.echo.messages).toBeGreaterThan(0)
      expect(m.echo.slices).toBe(3)
      expect(m.latency?.p50Micros).toBeGreaterThan(0)
      expect(m.fanout?.messages).toBeGreaterThan(0)
      if (process.platform === 'linux') {
        expect(m.bytesPerIdleConnection).toBeTypeOf('number')
        expect(m.echo.serverCpuSeconds).toBeTypeOf('number')
        expect(m.fanout?.idleUtilisation).toBeTypeOf('number')
      }
    }
  })
})

it('measures one server alone, in one slice', async () => {
  const m = await measure(variant('bun', 'honokit'), small)
  expect(m.echo.messages).toBeGreaterThan(0)
  expect(m.echo.slices).toBe(1)
  expect(m.fanout?.messages).toBeGreaterThan(0)
})
