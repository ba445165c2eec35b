// Keeps `npm run bench` working: every server of the benchmark starts, echoes exactly what it was sent under load,
// and gives a memory reading. Only that the numbers exist is checked: timings never decide a test.
import { beforeAll, describe, expect, it } from 'vitest'
import { measure } from '../src/measure.ts'
import { flavours, prepare, runtimes, variant } from '../src/variants.ts'

beforeAll(() => prepare(), 60_000)

describe.each(runtimes)('bench servers on %s', (runtime) => {
  it.each(flavours)('%s echoes under load and reports memory per idle connection', async (flavour) => {
    const m = await measure(variant(runtime, flavour), {
      connections: 2,
      window: 4,
      payloadBytes: 64,
      warmupMs: 100,
      measureMs: 300,
      idle: 20,
    })
    // runLoad itself throws when an echo differs from what was sent or none came back.
    expect(m.messages).toBeGreaterThan(0)
    expect(m.messagesPerSecond).toBeGreaterThan(0)
    if (process.platform === 'linux') expect(m.bytesPerIdleConnection).toBeTypeOf('number')
  })
})
