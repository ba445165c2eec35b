import { describe, expect, it } from 'vitest'
import { handshakeHeaders, keepHandshakeHeaders, upgradeResponseHeaders } from './upgrade-headers.ts'

describe('upgradeResponseHeaders', () => {
  it('keeps end-to-end headers and each Set-Cookie, drops hop-by-hop and handshake headers', () => {
    const source = new Headers({
      'X-Custom': '1',
      'Content-Length': '10',
      Connection: 'close',
      'Transfer-Encoding': 'chunked',
      'Sec-WebSocket-Protocol': 'x',
      'Access-Control-Allow-Origin': '*',
    })
    source.append('Set-Cookie', 'a=1')
    source.append('Set-Cookie', 'b=2; Path=/')
    const out = upgradeResponseHeaders(source)
    const names = new Set<string>()
    out.forEach((_v, name) => {
      names.add(name)
    })
    expect([...names].sort()).toEqual(['access-control-allow-origin', 'set-cookie', 'x-custom'])
    expect(out.getSetCookie()).toEqual(['a=1', 'b=2; Path=/'])
  })

  it('returns a copy, so changing it leaves the source alone', () => {
    const source = new Headers({ 'X-A': '1' })
    upgradeResponseHeaders(source).set('X-A', '2')
    expect(source.get('X-A')).toBe('1')
  })
})

describe('handshakeHeaders', () => {
  it('adds the negotiated subprotocol, and none when nothing was negotiated', () => {
    const app = new Headers({ 'X-A': '1' })
    expect(handshakeHeaders(app, 'chat').get('sec-websocket-protocol')).toBe('chat')
    expect(handshakeHeaders(app, '').has('sec-websocket-protocol')).toBe(false)
    expect(handshakeHeaders(app, '').get('x-a')).toBe('1')
  })
})

const pairs = (headers: Headers) => {
  const out: [string, string][] = []
  headers.forEach((value, name) => {
    out.push([name, value])
  })
  return out
}

describe('keepHandshakeHeaders', () => {
  it('filters the headers in place like handshakeHeaders, keeping each Set-Cookie', () => {
    const headers = new Response(null, {
      headers: [
        ['X-Custom', '1'],
        ['Connection', 'close'],
        ['Content-Length', '0'],
        ['Sec-WebSocket-Protocol', 'offered'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
    }).headers
    const copy = handshakeHeaders(headers, 'chat')
    const kept = keepHandshakeHeaders(headers, 'chat')
    expect(kept).toBe(headers)
    expect(pairs(kept)).toEqual(pairs(copy))
    expect(kept.get('connection')).toBeNull()
    expect(kept.get('sec-websocket-protocol')).toBe('chat')
    expect(kept.getSetCookie()).toEqual(['a=1', 'b=2'])
  })
})
