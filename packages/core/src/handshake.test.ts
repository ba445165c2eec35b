import { Hono } from 'hono'
import { describe, expect, it, vi } from 'vitest'
import {
  checkHandshake,
  hasToken,
  isWebSocketUpgrade,
  offeredProtocols,
  selectProtocol,
} from './handshake.ts'
import { refusalResponse, type WSRefusal } from './refusal.ts'
import type { WSProtocolSelector, WSUpgradeOptions } from './types.ts'

const asResponse = (r: WSRefusal | undefined) => r && refusalResponse(r)

const VALID_KEY = 'dGhlIHNhbXBsZSBub25jZQ=='

const upgradeHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  Upgrade: 'websocket',
  Connection: 'Upgrade',
  'Sec-WebSocket-Key': VALID_KEY,
  'Sec-WebSocket-Version': '13',
  ...extra,
})

const request = (headers: HeadersInit, method = 'GET') =>
  new Request('http://localhost/ws', { method, headers })

describe('hasToken', () => {
  it('finds a token in a comma-separated list, case-insensitively', () => {
    expect(hasToken('keep-alive, Upgrade', 'upgrade')).toBe(true)
    expect(hasToken('UPGRADE', 'upgrade')).toBe(true)
    expect(hasToken('websocket , h2c', 'websocket')).toBe(true)
    expect(hasToken('h2c,WebSocket', 'websocket')).toBe(true)
  })

  it('does not match a token that only contains the wanted one', () => {
    expect(hasToken('upgrades', 'upgrade')).toBe(false)
    expect(hasToken('websocketx', 'websocket')).toBe(false)
    expect(hasToken('keep-alive, upgrade-insecure', 'upgrade')).toBe(false)
    expect(hasToken('web socket', 'websocket')).toBe(false)
  })

  it('returns false for null, undefined and an empty value', () => {
    expect(hasToken(null, 'upgrade')).toBe(false)
    expect(hasToken(undefined, 'upgrade')).toBe(false)
    expect(hasToken('', 'upgrade')).toBe(false)
    expect(hasToken(' , ', 'upgrade')).toBe(false)
  })
})

describe('isWebSocketUpgrade', () => {
  it('accepts a GET with Upgrade: websocket and Connection: Upgrade', () => {
    expect(isWebSocketUpgrade(request({ Upgrade: 'websocket', Connection: 'Upgrade' }))).toBe(true)
  })

  it('rejects a POST with the same headers', () => {
    expect(isWebSocketUpgrade(request({ Upgrade: 'websocket', Connection: 'Upgrade' }, 'POST'))).toBe(false)
  })

  it('reads header names and values in any case', () => {
    expect(isWebSocketUpgrade(request({ UPGRADE: 'WebSocket', connection: 'keep-alive, UPGRADE' }))).toBe(
      true
    )
    expect(isWebSocketUpgrade(request({ upgrade: 'WEBSOCKET', CONNECTION: 'upgrade' }))).toBe(true)
  })

  it('rejects a request without Connection', () => {
    expect(isWebSocketUpgrade(request({ Upgrade: 'websocket' }))).toBe(false)
  })

  it('rejects a request without Upgrade or with another protocol', () => {
    expect(isWebSocketUpgrade(request({ Connection: 'Upgrade' }))).toBe(false)
    expect(isWebSocketUpgrade(request({ Upgrade: 'h2c', Connection: 'Upgrade' }))).toBe(false)
    expect(isWebSocketUpgrade(request({}))).toBe(false)
  })
})

describe('checkHandshake', () => {
  it('accepts version 13 with a valid key', () => {
    expect(asResponse(checkHandshake(request(upgradeHeaders())))).toBeUndefined()
  })

  it('accepts version and key surrounded by spaces', () => {
    const headers = new Headers(upgradeHeaders())
    // Headers trims leading and trailing whitespace itself, so this is what a runtime hands over.
    headers.set('Sec-WebSocket-Version', ' 13 ')
    expect(asResponse(checkHandshake(request(headers)))).toBeUndefined()
  })

  it('refuses version 8 with 426 and Sec-WebSocket-Version: 13', async () => {
    const res = asResponse(checkHandshake(request(upgradeHeaders({ 'Sec-WebSocket-Version': '8' }))))
    expect(res).toBeInstanceOf(Response)
    expect(res!.status).toBe(426)
    expect(res!.headers.get('Sec-WebSocket-Version')).toBe('13')
    expect(await res!.text()).toMatch(/version 13/)
  })

  it('refuses a missing version with 426 and Sec-WebSocket-Version: 13', () => {
    const headers = upgradeHeaders()
    delete headers['Sec-WebSocket-Version']
    const res = asResponse(checkHandshake(request(headers)))
    expect(res?.status).toBe(426)
    expect(res?.headers.get('sec-websocket-version')).toBe('13')
  })

  it('accepts other valid 16-byte keys', () => {
    for (const key of ['AAAAAAAAAAAAAAAAAAAAAA==', '/////////////////////w==', 'x3JJHMbDL1EzLkh9GBhXDw==']) {
      expect(
        asResponse(checkHandshake(request(upgradeHeaders({ 'Sec-WebSocket-Key': key })))),
        key
      ).toBeUndefined()
    }
  })

  it.each([
    ['too short', 'dGhlIHNhbXBsZSBub25jZ=='],
    ['too long', 'dGhlIHNhbXBsZSBub25jZQQ=='],
    ['17 bytes', 'dGhlIHNhbXBsZSBub25jZQE='],
    ['bad last character before ==', 'dGhlIHNhbXBsZSBub25jZR=='],
    ['not base64', 'dGhlIHNhbXBsZSBub25j*Q=='],
    ['without padding', 'dGhlIHNhbXBsZSBub25jZQ'],
    ['empty', ''],
  ])('refuses a key that is %s with 400', async (_name, key) => {
    const res = asResponse(checkHandshake(request(upgradeHeaders({ 'Sec-WebSocket-Key': key }))))
    expect(res?.status).toBe(400)
    expect(await res!.text()).toMatch(/Sec-WebSocket-Key/)
  })

  it('refuses a missing key with 400', () => {
    const headers = upgradeHeaders()
    delete headers['Sec-WebSocket-Key']
    expect(asResponse(checkHandshake(request(headers)))?.status).toBe(400)
  })

  it('checks the version before the key', () => {
    const res = asResponse(
      checkHandshake(request({ 'Sec-WebSocket-Version': '8', 'Sec-WebSocket-Key': 'bad' }))
    )
    expect(res?.status).toBe(426)
  })
})

describe('offeredProtocols', () => {
  it('returns nothing when the header is missing', () => {
    expect(offeredProtocols(request({}))).toEqual([])
  })

  it('splits one header value and trims spaces', () => {
    expect(offeredProtocols(request({ 'Sec-WebSocket-Protocol': 'chat ,  superchat,json' }))).toEqual([
      'chat',
      'superchat',
      'json',
    ])
  })

  it('reads every header line in the client order', () => {
    const headers = new Headers()
    headers.append('Sec-WebSocket-Protocol', 'chat, superchat')
    headers.append('Sec-WebSocket-Protocol', 'json')
    expect(offeredProtocols(request(headers))).toEqual(['chat', 'superchat', 'json'])
  })

  it('drops empty entries', () => {
    const headers = new Headers()
    headers.append('Sec-WebSocket-Protocol', ',chat,, ,')
    headers.append('Sec-WebSocket-Protocol', ' ')
    headers.append('Sec-WebSocket-Protocol', 'json')
    expect(offeredProtocols(request(headers))).toEqual(['chat', 'json'])
  })
})

type Selected = { protocol: string } | { status: number; body: string } | { error: string }

/** Runs selectProtocol inside a Hono route handler, on a request with `headers`. */
async function select(headers: HeadersInit, options: WSUpgradeOptions | undefined): Promise<Selected> {
  const app = new Hono()
  app.get('/ws', (c) => {
    const selected = selectProtocol(c, options)
    const result = typeof selected === 'string' ? selected : refusalResponse(selected)
    if (typeof result === 'string') return c.json({ protocol: result })
    return result
  })
  app.onError((err, c) => c.json({ error: err.message }, 500))
  const res = await app.request('/ws', { headers })
  if (res.headers.get('content-type')?.includes('json')) return (await res.json()) as Selected
  return { status: res.status, body: await res.text() }
}

const offering = (...protocols: string[]): HeadersInit =>
  protocols.length ? { 'Sec-WebSocket-Protocol': protocols.join(', ') } : {}

describe('selectProtocol', () => {
  it('takes the first offered protocol by default', async () => {
    expect(await select(offering('b', 'a'), undefined)).toEqual({ protocol: 'b' })
    expect(await select(offering('b', 'a'), {})).toEqual({ protocol: 'b' })
  })

  it("returns '' by default when none is offered", async () => {
    expect(await select(offering(), undefined)).toEqual({ protocol: '' })
  })

  it('picks by server preference with an array option', async () => {
    expect(await select(offering('a', 'b', 'c'), { protocols: ['c', 'b'] })).toEqual({ protocol: 'c' })
    expect(await select(offering('a', 'b'), { protocols: ['x', 'b', 'a'] })).toEqual({ protocol: 'b' })
  })

  it('refuses with 400 naming the offered and accepted protocols when no offer is acceptable', async () => {
    const result = await select(offering('mqtt', 'stomp'), { protocols: ['chat', 'json'] })
    expect(result).toMatchObject({ status: 400 })
    const body = (result as { body: string }).body
    expect(body).toContain('mqtt, stomp')
    expect(body).toContain('chat, json')
  })

  it('refuses every offer with 400 when the array option is empty', async () => {
    const result = await select(offering('chat'), { protocols: [] })
    expect(result).toMatchObject({ status: 400 })
    expect((result as { body: string }).body).toContain('chat')
  })

  it("returns '' with an array option when none is offered", async () => {
    expect(await select(offering(), { protocols: ['chat'] })).toEqual({ protocol: '' })
  })

  it('returns what the function option picks and passes it the offered protocols and the context', async () => {
    const selector = vi.fn<WSProtocolSelector>((offered) => offered[1] ?? false)
    expect(await select(offering('a', 'b'), { protocols: selector })).toEqual({ protocol: 'b' })
    expect(selector).toHaveBeenCalledTimes(1)
    const [offered, c] = selector.mock.calls[0]!
    expect(offered).toEqual(['a', 'b'])
    expect(c.req.path).toBe('/ws')
  })

  it("returns '' when the function picks none and none is offered", async () => {
    expect(await select(offering(), { protocols: () => false })).toEqual({ protocol: '' })
    expect(await select(offering(), { protocols: () => null })).toEqual({ protocol: '' })
  })

  it('throws an Error naming the offered values when the function returns one not offered', async () => {
    const result = await select(offering('a', 'b'), { protocols: () => 'zzz' })
    expect(result).toHaveProperty('error')
    const message = (result as { error: string }).error
    expect(message).toContain("'zzz'")
    expect(message).toContain('offered: a, b')
  })

  it('throws when the function returns a protocol and none was offered', async () => {
    const result = await select(offering(), { protocols: () => 'chat' })
    expect((result as { error: string }).error).toContain('offered: none')
  })

  it('refuses with 400 when the function returns false although protocols were offered', async () => {
    for (const pick of [false, null, undefined, ''] as const) {
      const result = await select(offering('a'), { protocols: () => pick })
      expect(result, String(pick)).toMatchObject({ status: 400 })
      expect((result as { body: string }).body).toContain('offered a')
    }
  })
})
