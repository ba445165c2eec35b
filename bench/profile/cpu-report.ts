// Shared by the CPU profiles (v8-cpu.ts, bun-cpu.ts): the load they run and how they print self time by function.

/** The bench's echo load (64 × 32), or its fan-out load (500 subscribers) with MODE=fanout, for 1.5 s. */
export function profileLoad(port: number) {
  const fanout = process.env.MODE === 'fanout'
  return {
    mode: fanout ? 'fanout' : 'echo',
    port,
    connections: fanout ? 500 : 64,
    window: fanout ? 64 : 32,
    payloadBytes: 64,
    warmupMs: 300,
    measureMs: 1500,
  }
}

/** A function as a profile names it (Chrome's `.cpuprofile` format, which V8 and Bun both write). */
export interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

/** Prints the TOP functions (30 by default) by their share of the samples, `hits` being samples per call frame. */
export function printSelfTime(title: string, hits: readonly [CallFrame, number][]): void {
  const self = new Map<string, number>()
  let total = 0
  for (const [f, n] of hits) {
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + n)
    total += n
  }
  console.log(title)
  for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30)))
    console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`)
  const byOrigin = new Map<string, number>()
  for (const [f, n] of hits) byOrigin.set(originOf(f), (byOrigin.get(originOf(f)) ?? 0) + n)
  const shares = [...byOrigin].sort((a, b) => b[1] - a[1])
  console.log(`  by origin: ${shares.map(([o, n]) => `${o} ${((100 * n) / total).toFixed(1)}%`).join(', ')}`)
}

/**
 * Whose code a sampled function is: the library under test (honokit's packages, Hono, crossws), the bench's own
 * server file, the runtime (its native functions, its built-in JavaScript, its garbage collector), or idle.
 */
export function originOf(f: CallFrame): string {
  const url = f.url
  if (f.functionName === '(idle)') return 'idle'
  if (f.functionName === '(garbage collector)') return 'gc'
  if (url.includes('/packages/') || url.includes('@honokit')) return 'honokit'
  if (url.includes('/crossws/')) return 'crossws'
  if (url.includes('/hono/') || url.includes('@hono')) return 'hono'
  if (url.includes('/bench/servers/')) return 'bench server'
  return 'runtime'
}
