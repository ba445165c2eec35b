import assert from 'node:assert/strict'
import { makeKey, rawRequest } from '../runner/client.ts'
import { type Scenario, type ScenarioContext, scenario } from '../runner/scenario.ts'
import { open, refused, settle } from './helpers.ts'

const LOG_PREFIX = 'refused a WebSocket upgrade to'

/** Opens `path` with `headers` and closes again: the upgrade was admitted. */
async function admitted(t: ScenarioContext, path: string, headers: Record<string, string>) {
  const { client } = await open(t, path, { headers })
  client.ws.send('in')
  assert.equal((await client.next()).text, 'in', `echo after admitting ${JSON.stringify(headers)}`)
  client.ws.close()
  await client.closed
}

/**
 * Expects `path` with `headers` to be refused with `status`, a body that names the setting, and one server log line
 * containing `logged` (which names what the server saw).
 */
async function refusedAndLogged(
  t: ScenarioContext,
  path: string,
  headers: Record<string, string>,
  logged: string,
  status = 403,
  body: RegExp = /allowedOrigins|allowMissingOrigin/
) {
  const r = await refused(t, t.wsUrl(path), { headers })
  assert.equal(r.status, status, `status for ${JSON.stringify(headers)} on ${path}`)
  assert.match(r.body, body, `the response body for ${JSON.stringify(headers)}`)
  const lines = await t.waitForOutput(logged)
  const line = lines.at(-1) ?? ''
  assert.ok(
    line.includes(`${LOG_PREFIX} ${path.split('?')[0]} with ${status}`),
    `the log line names the path and status: ${line}`
  )
  return line
}

export const origins: Scenario[] = [
  scenario({
    id: 'OR1',
    title: 'an allowedOrigins string admits exactly that origin (host case and default port normalised)',
    async run(t) {
      for (const origin of [
        'https://app.example.com',
        'https://APP.Example.COM',
        'https://app.example.com:443',
      ])
        await admitted(t, '/ws/origin/exact', { Origin: origin })
    },
  }),
  scenario({
    id: 'OR2',
    title: 'an allowedOrigins string refuses every near miss with 403, and the server logs each one',
    async run(t) {
      for (const origin of [
        'https://app.example.co', // prefix
        'https://app.exa', // shorter prefix
        'https://app.example.com.evil.test', // longer host
        'https://evil-app.example.com', // suffix
        'http://app.example.com', // other scheme
        'https://app.example.com:8443', // other port
        'null', // sandboxed frame, file: page
      ]) {
        const line = await refusedAndLogged(
          t,
          '/ws/origin/exact',
          { Origin: origin },
          `Origin ${origin} is not`
        )
        assert.match(line, /expected one of https:\/\/app\.example\.com/)
      }
    },
  }),
  scenario({
    id: 'OR3',
    title: "a list admits 'same-origin', a listed origin and subdomain wildcards, and refuses the rest",
    async run(t) {
      for (const origin of [`http://127.0.0.1:${t.port}`, 'http://localhost:5173', 'https://a.example.org'])
        await admitted(t, '/ws/origin/list', { Origin: origin })
      for (const origin of [
        'https://example.org',
        'http://localhost:5174',
        'https://a.example.org.evil.test',
      ])
        await refusedAndLogged(t, '/ws/origin/list', { Origin: origin }, `Origin ${origin} is not`)
    },
  }),
  scenario({
    id: 'OR4',
    title: 'an allowedOrigins function sees the raw Origin (null included) and the context',
    async run(t) {
      await admitted(t, '/ws/origin/function?allow=null', { Origin: 'null' })
      const line = await refusedAndLogged(
        t,
        '/ws/origin/function?allow=https://x.test',
        { Origin: 'https://y.test' },
        'Origin https://y.test is not'
      )
      assert.match(line, /function returned false/)
    },
  }),
  scenario({
    id: 'OR5',
    title: 'no Origin connects by default; with allowMissingOrigin false it is refused and logged',
    async run(t) {
      await admitted(t, '/ws/echo', {})
      const line = await refusedAndLogged(t, '/ws/origins', {}, 'no Origin header')
      assert.match(line, /allowMissingOrigin: true/)
    },
  }),
  scenario({
    id: 'OR6',
    title:
      'the same-origin default refuses a browser on another port and logs the origin seen, expected and the fix',
    async run(t) {
      const origin = 'http://127.0.0.1:3150'
      const line = await refusedAndLogged(t, '/ws/echo', { Origin: origin }, `Origin ${origin} is not`)
      assert.match(line, new RegExp(`own origin http://127\\.0\\.0\\.1:${t.port}`), line)
      assert.match(line, /allowedOrigins: \['same-origin', 'http:\/\/127\.0\.0\.1:3150'\]/, line)
    },
  }),
  scenario({
    id: 'OR7',
    title:
      'behind a proxy that rewrites Host, forwarded headers are ignored unless trustProxy is set (log says so)',
    async run(t) {
      const origin = 'https://chat.example.net'
      const forwarded = {
        Origin: origin,
        'X-Forwarded-Host': 'chat.example.net',
        'X-Forwarded-Proto': 'https',
      }
      const line = await refusedAndLogged(t, '/ws/echo', forwarded, `Origin ${origin} is not`)
      assert.match(line, /X-Forwarded-Host: chat\.example\.net/)
      assert.match(line, /trustProxy: true/)
    },
  }),
  scenario({
    id: 'OR8',
    title:
      'with trustProxy, X-Forwarded-Host/-Proto or Forwarded give the public origin; other origins stay out',
    async run(t) {
      await admitted(t, '/ws/origin/proxied', {
        Origin: 'https://chat.example.net',
        'X-Forwarded-Host': 'chat.example.net',
        'X-Forwarded-Proto': 'https',
      })
      await admitted(t, '/ws/origin/proxied', {
        Origin: 'https://rooms.example.net',
        Forwarded: 'for=192.0.2.1;host="rooms.example.net";proto=https',
      })
      const evil = 'https://evil.example.net'
      const line = await refusedAndLogged(
        t,
        '/ws/origin/proxied',
        { Origin: evil, 'X-Forwarded-Host': 'chat.example.net', 'X-Forwarded-Proto': 'https' },
        `Origin ${evil} is not`
      )
      assert.match(line, /https:\/\/chat\.example\.net \(from the X-Forwarded-Host header/)
      // A page served over http may not reach a server the proxy says is https.
      await refusedAndLogged(
        t,
        '/ws/origin/proxied',
        {
          Origin: 'http://chat.example.net',
          'X-Forwarded-Host': 'chat.example.net',
          'X-Forwarded-Proto': 'https',
        },
        'Origin http://chat.example.net is not'
      )
    },
  }),
  scenario({
    id: 'OR9',
    title: 'every other refusal is logged too: 503 over capacity, 400 subprotocol, 400 bad key, 426 version',
    requires: ['rawSocket'],
    async run(t) {
      const a = await open(t, '/ws/limited')
      const b = await open(t, '/ws/limited')
      await refusedAndLogged(t, '/ws/limited', {}, 'this route holds its maximum of 2', 503, /maximum/)
      a.client.ws.close()
      b.client.ws.close()
      await refusedAndLogged(
        t,
        '/ws/protocols/prefer-b',
        { 'Sec-WebSocket-Protocol': 'zzz-or9' },
        'the client offered zzz-or9',
        400,
        /subprotocol/
      )
      const head = (key: string, version: string) =>
        `GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`
      const badKey = await rawRequest(t.port, head('or9-not-a-key', '13'))
      badKey.socket.destroy()
      assert.equal(badKey.status, 400)
      await t.waitForOutput('Sec-WebSocket-Key "or9-not-a-key"')
      const oldVersion = await rawRequest(t.port, head(makeKey(), '8'))
      oldVersion.socket.destroy()
      assert.equal(oldVersion.status, 426)
      await t.waitForOutput('Sec-WebSocket-Version "8"')
    },
  }),
  scenario({
    id: 'OR10',
    title: 'a flood of one refused origin writes one log line, and the server keeps serving',
    async run(t) {
      const origin = `https://flood-${t.newId().slice(0, 8)}.test`
      for (let round = 0; round < 4; round++) {
        const statuses = await Promise.all(
          Array.from({ length: 10 }, () => refused(t, t.wsUrl('/ws/echo'), { headers: { Origin: origin } }))
        )
        for (const r of statuses) assert.equal(r.status, 403)
      }
      await t.waitForOutput(`Origin ${origin} is not`)
      await settle(300)
      assert.equal(
        t.outputLines(`Origin ${origin} is not`).length,
        1,
        'log lines for 40 refusals of one origin'
      )
      await t.assertServerAlive()
    },
  }),
]
