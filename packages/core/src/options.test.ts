import { describe, expect, it } from 'vitest'
import {
  DEFAULT_HELPER_MAX_CONNECTIONS,
  DEFAULT_LIMITS,
  resolveLimits,
  validateLimits,
  type WSLimits,
} from './options.ts'

describe('DEFAULT_LIMITS', () => {
  it('holds the documented defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxPayload: 1024 * 1024,
      maxConnections: Number.POSITIVE_INFINITY,
      allowedOrigins: 'same-origin',
      allowMissingOrigin: true,
      trustProxy: false,
      heartbeat: { interval: 30_000, timeout: 30_000 },
      maxBufferedAmount: 8 * 1024 * 1024,
      drainThreshold: 64 * 1024,
    })
    expect(DEFAULT_HELPER_MAX_CONNECTIONS).toBe(10_000)
  })
})

describe('resolveLimits', () => {
  it('returns the defaults when nothing is given', () => {
    expect(resolveLimits(undefined, undefined)).toEqual(DEFAULT_LIMITS)
  })

  it('does not hand out DEFAULT_LIMITS itself', () => {
    const resolved = resolveLimits(undefined, undefined)
    expect(resolved).not.toBe(DEFAULT_LIMITS)
    expect(resolved.heartbeat).not.toBe(DEFAULT_LIMITS.heartbeat)
  })

  it('takes the route over the helper over the runtime defaults over DEFAULT_LIMITS', () => {
    const runtime: WSLimits = { maxPayload: 1, maxBufferedAmount: 10, drainThreshold: 100 }
    const helper: WSLimits = { maxPayload: 2, maxBufferedAmount: 20 }
    const route: WSLimits = { maxPayload: 3 }
    const resolved = resolveLimits(helper, route, runtime)
    expect(resolved.maxPayload).toBe(3)
    expect(resolved.maxBufferedAmount).toBe(20)
    expect(resolved.drainThreshold).toBe(100)
    expect(resolved.allowedOrigins).toBe(DEFAULT_LIMITS.allowedOrigins)
    expect(resolveLimits(helper, undefined, runtime).maxPayload).toBe(2)
    expect(resolveLimits(undefined, undefined, runtime).maxPayload).toBe(1)
  })

  it('lets an undefined route value fall through to the helper', () => {
    expect(resolveLimits({ maxPayload: 2 }, { maxPayload: undefined }).maxPayload).toBe(2)
    expect(
      resolveLimits(undefined, { allowedOrigins: undefined }, { allowedOrigins: '*' }).allowedOrigins
    ).toBe('*')
  })

  it('applies the precedence to origin settings', () => {
    const resolved = resolveLimits(
      { allowedOrigins: ['https://a.example'], allowMissingOrigin: false },
      { allowedOrigins: '*' }
    )
    expect(resolved.allowedOrigins).toBe('*')
    expect(resolved.allowMissingOrigin).toBe(false)
  })

  it('keeps maxConnections per route: the helper value does not leak into the route', () => {
    expect(resolveLimits({ maxConnections: 5 }, undefined).maxConnections).toBe(Number.POSITIVE_INFINITY)
    expect(resolveLimits({ maxConnections: 5 }, {}).maxConnections).toBe(Number.POSITIVE_INFINITY)
    expect(resolveLimits({ maxConnections: 5 }, { maxConnections: 2 }).maxConnections).toBe(2)
    expect(resolveLimits(undefined, { maxConnections: 7 }).maxConnections).toBe(7)
  })

  it('defaults the heartbeat timeout to its interval', () => {
    expect(resolveLimits(undefined, { heartbeat: { interval: 1000 } }).heartbeat).toEqual({
      interval: 1000,
      timeout: 1000,
    })
    expect(resolveLimits({ heartbeat: { interval: 2000 } }, undefined).heartbeat).toEqual({
      interval: 2000,
      timeout: 2000,
    })
  })

  it('keeps an explicit heartbeat timeout', () => {
    expect(resolveLimits(undefined, { heartbeat: { interval: 1000, timeout: 250 } }).heartbeat).toEqual({
      interval: 1000,
      timeout: 250,
    })
  })

  it('takes the route heartbeat as a whole over the helper heartbeat', () => {
    const resolved = resolveLimits(
      { heartbeat: { interval: 5000, timeout: 100 } },
      { heartbeat: { interval: 800 } }
    )
    expect(resolved.heartbeat).toEqual({ interval: 800, timeout: 800 })
  })

  it('keeps heartbeat false as false', () => {
    expect(resolveLimits({ heartbeat: false }, undefined).heartbeat).toBe(false)
    expect(resolveLimits(undefined, { heartbeat: false }).heartbeat).toBe(false)
    expect(resolveLimits({ heartbeat: { interval: 10 } }, { heartbeat: false }).heartbeat).toBe(false)
    expect(resolveLimits(undefined, undefined, { heartbeat: false }).heartbeat).toBe(false)
  })

  it('lets a route turn a disabled heartbeat back on', () => {
    expect(resolveLimits({ heartbeat: false }, { heartbeat: { interval: 10 } }).heartbeat).toEqual({
      interval: 10,
      timeout: 10,
    })
  })

  it('does not modify its inputs', () => {
    const helper: WSLimits = { heartbeat: { interval: 1000 } }
    const route: WSLimits = { maxPayload: undefined }
    resolveLimits(helper, route)
    expect(helper).toEqual({ heartbeat: { interval: 1000 } })
    expect(route).toEqual({ maxPayload: undefined })
  })
})

describe('validateLimits', () => {
  const numeric = ['maxPayload', 'maxConnections', 'maxBufferedAmount', 'drainThreshold'] as const

  it('accepts undefined, empty and valid limits', () => {
    expect(() => validateLimits(undefined)).not.toThrow()
    expect(() => validateLimits({})).not.toThrow()
    expect(() =>
      validateLimits({
        maxPayload: 1,
        maxConnections: Number.POSITIVE_INFINITY,
        maxBufferedAmount: 0.5,
        drainThreshold: 1024,
        heartbeat: { interval: 10, timeout: 5 },
      })
    ).not.toThrow()
    expect(() => validateLimits({ heartbeat: false })).not.toThrow()
    expect(() => validateLimits({ heartbeat: { interval: 10 } })).not.toThrow()
  })

  it.each(numeric)('rejects %s: 0 with a message naming the setting', (name) => {
    expect(() => validateLimits({ [name]: 0 })).toThrow(RangeError)
    expect(() => validateLimits({ [name]: 0 })).toThrow(
      new RegExp(`${name} must be a positive number.*got 0`)
    )
  })

  it.each(numeric)('rejects %s: a negative number', (name) => {
    expect(() => validateLimits({ [name]: -1 })).toThrow(new RegExp(`${name}.*got -1`))
  })

  it.each(numeric)('rejects %s: NaN', (name) => {
    expect(() => validateLimits({ [name]: Number.NaN })).toThrow(new RegExp(`${name}.*got NaN`))
  })

  it.each(numeric)('rejects %s: a value that is not a number', (name) => {
    expect(() => validateLimits({ [name]: '5' } as unknown as WSLimits)).toThrow(new RegExp(`${name}.*got 5`))
    expect(() => validateLimits({ [name]: null } as unknown as WSLimits)).toThrow(RangeError)
  })

  it('names the unit of each setting', () => {
    expect(() => validateLimits({ maxConnections: 0 })).toThrow(/positive number of connections/)
    expect(() => validateLimits({ maxPayload: 0 })).toThrow(/positive number of bytes/)
  })

  it('rejects a heartbeat without a positive interval', () => {
    for (const heartbeat of [{ interval: 0 }, { interval: -5 }, { interval: Number.NaN }, {}]) {
      expect(() => validateLimits({ heartbeat } as WSLimits)).toThrow(RangeError)
      expect(() => validateLimits({ heartbeat } as WSLimits)).toThrow(
        /heartbeat must be false or \{ interval/
      )
    }
  })

  it('rejects a heartbeat with a non-positive timeout', () => {
    expect(() => validateLimits({ heartbeat: { interval: 10, timeout: 0 } })).toThrow(/heartbeat/)
    expect(() => validateLimits({ heartbeat: { interval: 10, timeout: -1 } })).toThrow(/heartbeat/)
  })

  it('rejects a heartbeat that is not an object', () => {
    expect(() => validateLimits({ heartbeat: true } as unknown as WSLimits)).toThrow(/heartbeat/)
    expect(() => validateLimits({ heartbeat: 1000 } as unknown as WSLimits)).toThrow(/heartbeat/)
  })
})

describe('heartbeat loaded as null (JSON settings)', () => {
  it('is refused with the RangeError that names the setting', () => {
    expect(() => validateLimits({ heartbeat: null as unknown as false })).toThrow(RangeError)
    expect(() => validateLimits({ heartbeat: null as unknown as false })).toThrow(
      /heartbeat must be false or/
    )
  })
})

describe('validateLimits: allowedOrigins is checked when the helper or route is created', () => {
  it.each([
    ['https://app.example.com', true],
    ['same-origin', true],
    ['*', true],
    ['https://app.example.com/', true],
    [['same-origin', 'http://localhost:5173', 'https://*.example.com'], true],
    ['app.example.com', false],
    ['https://app.example.com/path', false],
    ['https://a.example.com,https://b.example.com', false],
    ['null', false],
    [['https://ok.example.com', 'not an origin'], false],
    [['*'], false],
    ['', false],
    [42, false],
  ])('%j valid: %s', (allowedOrigins, valid) => {
    const run = () => validateLimits({ allowedOrigins } as never)
    if (valid) expect(run).not.toThrow()
    else expect(run).toThrow(/Accepted forms: 'same-origin'/)
  })
  it('names the list index of a bad entry', () => {
    expect(() => validateLimits({ allowedOrigins: ['https://ok.example.com', 'nope'] })).toThrow(
      /allowedOrigins\[1\]: "nope" is not an origin/
    )
  })
  it('refuses non-boolean trustProxy and allowMissingOrigin', () => {
    expect(() => validateLimits({ trustProxy: 'yes' } as never)).toThrow(/trustProxy must be true or false/)
    expect(() => validateLimits({ allowMissingOrigin: 1 } as never)).toThrow(/allowMissingOrigin/)
  })
})
