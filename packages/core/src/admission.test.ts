import { type Context, Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { checkCapacity, checkOrigin, RETRY_AFTER_SECONDS, refuseUnsupported } from './admission.ts'
import type { WSContext } from './context.ts'
import { createWebSocketHub, type HubMember } from './hub.ts'
import { resolveLimits, type WSLimits } from './options.ts'
import { refusalResponse, type WSRefusal } from './refusal.ts'

const asResponse = (r: WSRefusal | undefined) => r && refusalResponse(r)

/**
 * Runs `checkOrigin` inside a Hono handler for a request to `url` with `headers`, and returns what it returned
 * (`undefined` when the origin is allowed).
 */
async function originCheck(
  limits: WSLimits,
  headers: Record<string, string>,
  url = 'http://example.com/ws'
): Promise<Response | undefined> {
  const app = new Hono()
  let result: Response | undefined
  let ran = false
  app.get('/ws', (c) => {
    ran = true
    result = asResponse(checkOrigin(c, resolveLimits(undefined, limits)))
    return c.text('ok')
  })
  const res = await app.request(url, { headers })
  expect(res.status).toBe(200)
  expect(ran).toBe(true)
  return result
}

function fakeMember(): HubMember {
  return { ws: {} as WSContext<any>, sendEncoded: () => {}, abort: () => {} }
}

describe('checkOrigin: same-origin', () => {
  it('allows an Origin whose host equals the Host header', async () => {
    expect(
      await originCheck(
        { allowedOrigins: 'same-origin' },
        { origin: 'http://example.com', host: 'example.com' }
      )
    ).toBeUndefined()
  })

  it('is the default policy', async () => {
    expect(await originCheck({}, { origin: 'http://example.com', host: 'example.com' })).toBeUndefined()
    const res = await originCheck({}, { origin: 'http://evil.example', host: 'example.com' })
    expect(res?.status).toBe(403)
  })

  it('compares with the request URL (built from Host by every runtime, from baseUrl on Node)', async () => {
    expect(
      await originCheck({}, { origin: 'https://public.example' }, 'https://public.example/ws')
    ).toBeUndefined()
    const res = await originCheck(
      {},
      { origin: 'https://public.example', host: 'public.example' },
      'http://internal/ws'
    )
    expect(res?.status).toBe(403)
  })

  it('compares with the request URL host when there is no Host header', async () => {
    expect(await originCheck({}, { origin: 'http://example.com' })).toBeUndefined()
    expect((await originCheck({}, { origin: 'http://other.com' }))?.status).toBe(403)
  })

  it('compares the port as part of the host', async () => {
    expect(
      await originCheck({}, { origin: 'http://example.com:8080' }, 'http://example.com:8080/ws')
    ).toBeUndefined()
    const res = await originCheck({}, { origin: 'http://example.com:8080' }, 'http://example.com/ws')
    expect(res?.status).toBe(403)
  })

  it('refuses another host with 403 and a body mentioning allowedOrigins', async () => {
    const res = await originCheck(
      { allowedOrigins: 'same-origin' },
      { origin: 'http://evil.example', host: 'example.com' }
    )
    expect(res).toBeInstanceOf(Response)
    expect(res!.status).toBe(403)
    const body = await res!.text()
    expect(body).toContain('allowedOrigins')
    expect(body).toContain('http://evil.example')
  })

  it('refuses a subdomain of the host', async () => {
    const res = await originCheck({}, { origin: 'http://sub.example.com', host: 'example.com' })
    expect(res?.status).toBe(403)
  })

  it('refuses a malformed Origin with 403', async () => {
    for (const origin of ['not a url', 'null', '://example.com']) {
      const res = await originCheck({}, { origin, host: 'example.com' })
      expect(res?.status).toBe(403)
    }
  })
})

describe("checkOrigin: '*'", () => {
  it('allows any Origin, even a malformed one', async () => {
    expect(
      await originCheck({ allowedOrigins: '*' }, { origin: 'http://anything.test', host: 'a' })
    ).toBeUndefined()
    expect(await originCheck({ allowedOrigins: '*' }, { origin: 'null', host: 'a' })).toBeUndefined()
  })
})

describe('checkOrigin: a list', () => {
  const allowedOrigins = ['https://app.example', 'https://admin.example']

  it('allows an Origin on the list', async () => {
    expect(await originCheck({ allowedOrigins }, { origin: 'https://admin.example' })).toBeUndefined()
  })

  it('refuses an Origin not on the list, even the same origin', async () => {
    expect((await originCheck({ allowedOrigins }, { origin: 'https://evil.example' }))?.status).toBe(403)
    const same = await originCheck({ allowedOrigins }, { origin: 'http://example.com', host: 'example.com' })
    expect(same?.status).toBe(403)
  })

  it('compares exactly: scheme and port matter', async () => {
    expect((await originCheck({ allowedOrigins }, { origin: 'http://app.example' }))?.status).toBe(403)
    expect((await originCheck({ allowedOrigins }, { origin: 'https://app.example:444' }))?.status).toBe(403)
  })

  it('refuses every Origin with an empty list', async () => {
    expect((await originCheck({ allowedOrigins: [] }, { origin: 'http://example.com' }))?.status).toBe(403)
  })
})

describe('checkOrigin: a function', () => {
  it('allows what the function accepts and refuses the rest with 403', async () => {
    const seen: { origin: string; path: string }[] = []
    const allowedOrigins = (origin: string, c: Context) => {
      seen.push({ origin, path: c.req.path })
      return origin.endsWith('.trusted.example')
    }
    expect(await originCheck({ allowedOrigins }, { origin: 'https://a.trusted.example' })).toBeUndefined()
    const res = await originCheck({ allowedOrigins }, { origin: 'https://a.example' })
    expect(res?.status).toBe(403)
    expect(seen).toEqual([
      { origin: 'https://a.trusted.example', path: '/ws' },
      { origin: 'https://a.example', path: '/ws' },
    ])
  })
})

describe('checkOrigin: missing Origin', () => {
  it('allows a request without Origin when allowMissingOrigin is true (the default)', async () => {
    expect(await originCheck({}, {})).toBeUndefined()
    expect(await originCheck({ allowMissingOrigin: true }, { host: 'example.com' })).toBeUndefined()
  })

  it('refuses a request without Origin with 403 when allowMissingOrigin is false', async () => {
    const res = await originCheck({ allowMissingOrigin: false }, { host: 'example.com' })
    expect(res?.status).toBe(403)
    expect(await res!.text()).toContain('allowMissingOrigin')
  })

  it('does not let allowMissingOrigin bypass the policy for a request with an Origin', async () => {
    const res = await originCheck(
      { allowMissingOrigin: true },
      { origin: 'http://evil.example', host: 'example.com' }
    )
    expect(res?.status).toBe(403)
  })

  it("allows a request without Origin under '*' only when allowMissingOrigin is true", async () => {
    expect(await originCheck({ allowedOrigins: '*' }, {})).toBeUndefined()
    expect((await originCheck({ allowedOrigins: '*', allowMissingOrigin: false }, {}))?.status).toBe(403)
  })
})

describe('checkCapacity', () => {
  const limits = resolveLimits(undefined, undefined)

  it('refuses with 503 and Retry-After 5 while the hub is closing', async () => {
    const hub = createWebSocketHub()
    await hub.shutdown()
    const res = asResponse(checkCapacity(hub, { open: 0 }, limits))
    expect(res?.status).toBe(503)
    expect(res!.headers.get('Retry-After')).toBe('5')
    expect(RETRY_AFTER_SECONDS).toBe(5)
    expect(await res!.text()).toContain('shutting down')
  })

  it('refuses with 503 once the hub holds maxConnections', async () => {
    const hub = createWebSocketHub({ maxConnections: 2 })
    hub.add(fakeMember())
    expect(asResponse(checkCapacity(hub, { open: 0 }, limits))).toBeUndefined()
    hub.add(fakeMember())
    const res = asResponse(checkCapacity(hub, { open: 0 }, limits))
    expect(res?.status).toBe(503)
    expect(res!.headers.get('Retry-After')).toBe('5')
    expect(await res!.text()).toContain('maximum of 2 connections')
  })

  it('refuses with 503 once the route holds its maxConnections', async () => {
    const routeLimits = resolveLimits(undefined, { maxConnections: 3 })
    const hub = createWebSocketHub()
    expect(asResponse(checkCapacity(hub, { open: 2 }, routeLimits))).toBeUndefined()
    const res = asResponse(checkCapacity(hub, { open: 3 }, routeLimits))
    expect(res?.status).toBe(503)
    expect(res!.headers.get('Retry-After')).toBe('5')
    expect(await res!.text()).toContain('this route holds its maximum of 3 connections')
    expect(asResponse(checkCapacity(undefined, { open: 4 }, routeLimits))?.status).toBe(503)
  })

  it('returns undefined under both limits', () => {
    const hub = createWebSocketHub({ maxConnections: 5 })
    hub.add(fakeMember())
    expect(
      asResponse(checkCapacity(hub, { open: 1 }, resolveLimits(undefined, { maxConnections: 5 })))
    ).toBeUndefined()
    expect(asResponse(checkCapacity(undefined, { open: 1_000_000 }, limits))).toBeUndefined()
  })

  it('accepts again once connections are removed', () => {
    const hub = createWebSocketHub({ maxConnections: 1 })
    const m = fakeMember()
    hub.add(m)
    expect(asResponse(checkCapacity(hub, { open: 0 }, limits))?.status).toBe(503)
    hub.remove(m)
    expect(asResponse(checkCapacity(hub, { open: 0 }, limits))).toBeUndefined()
  })
})

describe('refuseUnsupported', () => {
  it('throws naming the setting and the reason', () => {
    expect(() =>
      refuseUnsupported({ heartbeat: { interval: 10 } }, { heartbeat: 'the runtime pings itself' })
    ).toThrow('heartbeat is not available here: the runtime pings itself')
    expect(() =>
      refuseUnsupported({ maxBufferedAmount: 1 }, { maxBufferedAmount: 'unknown buffer' })
    ).toThrow(/maxBufferedAmount/)
  })

  it('does not refuse a false value', () => {
    expect(() => refuseUnsupported({ heartbeat: false }, { heartbeat: 'no pings' })).not.toThrow()
    expect(() => refuseUnsupported({ allowMissingOrigin: false }, { allowMissingOrigin: 'x' })).not.toThrow()
  })

  it('does not refuse an unset or undefined value', () => {
    expect(() => refuseUnsupported({}, { heartbeat: 'no pings' })).not.toThrow()
    expect(() => refuseUnsupported({ heartbeat: undefined }, { heartbeat: 'no pings' })).not.toThrow()
  })

  it('does nothing without limits or without unsupported settings', () => {
    expect(() => refuseUnsupported(undefined, { heartbeat: 'no' })).not.toThrow()
    expect(() => refuseUnsupported({ heartbeat: { interval: 1 } }, undefined)).not.toThrow()
    expect(() => refuseUnsupported({ maxPayload: 10 }, { heartbeat: 'no' })).not.toThrow()
  })

  it('refuses a true or zero value, which is set', () => {
    expect(() => refuseUnsupported({ allowMissingOrigin: true }, { allowMissingOrigin: 'x' })).toThrow(
      /allowMissingOrigin/
    )
    expect(() => refuseUnsupported({ maxPayload: 0 }, { maxPayload: 'x' })).toThrow(/maxPayload/)
  })
})

describe('checkOrigin: exact origins, never substrings (issue: allowedOrigins as a plain string)', () => {
  const policy = { allowedOrigins: 'https://app.example.com' } as const
  it.each(['https://app.example.com', 'https://APP.Example.com', 'https://app.example.com:443'])(
    'admits %s',
    async (origin) => {
      expect(await originCheck(policy, { origin }, 'http://internal:3000/ws')).toBeUndefined()
    }
  )
  it.each([
    ['a prefix', 'https://app.example.co'],
    ['a shorter prefix', 'https://app.exa'],
    ['a suffix', 'https://evil-app.example.com'],
    ['a longer host', 'https://app.example.com.evil.test'],
    ['another scheme', 'http://app.example.com'],
    ['another port', 'https://app.example.com:8443'],
    ['null', 'null'],
    ['a path', 'https://app.example.com/x'],
    ['garbage', 'app.example.com'],
  ])('refuses %s (%s)', async (_what, origin) => {
    expect((await originCheck(policy, { origin }, 'http://internal:3000/ws'))?.status).toBe(403)
  })
})

describe('checkOrigin: lists with same-origin and wildcards', () => {
  const allowedOrigins = ['same-origin', 'http://localhost:5173', 'https://*.example.com']
  it('admits the server origin, the listed origin and subdomains', async () => {
    for (const origin of [
      'http://srv.test',
      'http://localhost:5173',
      'https://a.example.com',
      'https://a.b.example.com',
    ])
      expect(await originCheck({ allowedOrigins }, { origin }, 'http://srv.test/ws'), origin).toBeUndefined()
  })
  it('refuses the wildcard apex, another port and a look-alike', async () => {
    for (const origin of [
      'https://example.com',
      'https://a.example.com:8443',
      'https://aexample.com',
      'http://a.example.com',
      'http://localhost:5174',
    ])
      expect((await originCheck({ allowedOrigins }, { origin }, 'http://srv.test/ws'))?.status, origin).toBe(
        403
      )
  })
})

describe('checkOrigin: schemes under same-origin', () => {
  it('admits an https page for a server that sees http (TLS ends at a proxy)', async () => {
    expect(
      await originCheck({}, { origin: 'https://chat.example.com' }, 'http://chat.example.com/ws')
    ).toBeUndefined()
  })
  it('admits https for a Host of name:443 on plain http', async () => {
    expect(
      await originCheck({}, { origin: 'https://chat.example.com' }, 'http://chat.example.com:443/ws')
    ).toBeUndefined()
  })
  it('refuses an http page for an https server', async () => {
    const res = await originCheck({}, { origin: 'http://chat.example.com' }, 'https://chat.example.com/ws')
    expect(res?.status).toBe(403)
  })
})

describe('checkOrigin: behind a proxy', () => {
  const proxied = {
    origin: 'https://chat.example.com',
    'x-forwarded-host': 'chat.example.com',
    'x-forwarded-proto': 'https',
  }
  it('ignores forwarded headers unless trustProxy is set, and says so in the log line', async () => {
    const app = new Hono()
    let r: WSRefusal | undefined
    app.get('/ws', (c) => {
      r = checkOrigin(c, resolveLimits(undefined, {}))
      return c.text('ok')
    })
    await app.request('http://127.0.0.1:3145/ws', { headers: proxied })
    expect(r?.status).toBe(403)
    expect(r?.message).toContain('X-Forwarded-Host: chat.example.com')
    expect(r?.message).toContain('trustProxy: true')
  })
  it('admits with trustProxy through X-Forwarded-Host/-Proto', async () => {
    expect(await originCheck({ trustProxy: true }, proxied, 'http://127.0.0.1:3145/ws')).toBeUndefined()
  })
  it('admits with trustProxy through Forwarded (RFC 7239), first element', async () => {
    const headers = {
      origin: 'https://chat.example.com',
      forwarded: 'for=1.2.3.4;host="chat.example.com";proto=https, for=10.0.0.1;host=internal',
    }
    expect(await originCheck({ trustProxy: true }, headers, 'http://127.0.0.1:3145/ws')).toBeUndefined()
  })
  it('refuses with trustProxy when the forwarded host is another one', async () => {
    const headers = { origin: 'https://evil.test', 'x-forwarded-host': 'chat.example.com' }
    expect((await originCheck({ trustProxy: true }, headers, 'http://127.0.0.1:3145/ws'))?.status).toBe(403)
  })
})

describe('checkOrigin: the log line', () => {
  async function lineFor(limits: WSLimits, headers: Record<string, string>, url: string) {
    const app = new Hono()
    let r: WSRefusal | undefined
    app.get('/ws', (c) => {
      r = checkOrigin(c, resolveLimits(undefined, limits))
      return c.text('ok')
    })
    await app.request(url, { headers })
    return r!.message
  }
  it('names the origin seen, the origin expected and the setting that admits it (dev server on another port)', async () => {
    const line = await lineFor({}, { origin: 'http://127.0.0.1:3150' }, 'http://localhost:3101/ws')
    expect(line).toContain('Origin http://127.0.0.1:3150 is not allowed')
    expect(line).toContain("expected this server's own origin http://localhost:3101")
    expect(line).toContain("allowedOrigins: ['same-origin', 'http://127.0.0.1:3150']")
    expect(line).toContain('127.0.0.1 and localhost are different origins to a browser')
  })
  it('explains the null origin', async () => {
    expect(await lineFor({}, { origin: 'null' }, 'http://a.test/ws')).toContain(
      'only an allowedOrigins function'
    )
  })
})
