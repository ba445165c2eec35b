import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

type Census = Record<string, { count: number; bytes: number }>

/** What the V8 heap gained per open connection, in a fresh process (test/fixtures/connection-heap.ts). */
function census(): Census {
  const fixture = fileURLToPath(new URL('./fixtures/connection-heap.ts', import.meta.url))
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], {
    encoding: 'utf8',
  })
  return (JSON.parse(out) as { perConnection: Census }).perConnection
}

const count = (c: Census, key: string) => Math.round((c[key]?.count ?? 0) * 100) / 100

describe('memory per idle connection (object counts from V8 heap snapshots, not timings)', () => {
  const c = census()

  it('is one object of core: the Connection, which is also its WSContext', () => {
    expect(count(c, 'object:Connection')).toBe(1)
    expect(count(c, 'object:WSContext')).toBe(0)
  })

  it('makes no closure, no URL and no per-connection bookkeeping object', () => {
    const closures = Object.keys(c).filter((k) => k.startsWith('closure:') && count(c, k) > 0)
    expect(closures).toEqual([])
    // ws.url is parsed on first read, not when the connection opens.
    expect(count(c, 'object:URL')).toBe(0)
    // No Map, Set or WeakMap entry, context, plan, view or state object per connection: every other object kind
    // stays flat.
    const others = Object.keys(c).filter(
      (k) => k.startsWith('object:') && k !== 'object:Connection' && count(c, k) >= 0.5
    )
    expect(others).toEqual([])
  })

  it('keeps the heartbeat time a small integer (no boxed number per connection)', () => {
    expect(count(c, 'heap number')).toBeLessThan(0.5)
  })
})
