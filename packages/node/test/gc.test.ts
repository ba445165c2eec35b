import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const fixture = fileURLToPath(new URL('./fixtures/gc-server.ts', import.meta.url))

it('handshakes aborted by the client or refused leave no request object behind', () => {
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], {
    encoding: 'utf8',
    env: { ...process.env, ROUNDS: '100' },
    timeout: 60_000,
  })
  expect(res.status, res.stderr).toBe(0)
  const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!)
  // 100 rounds of 5 kinds, every request goes through the app's middleware.
  expect(out.tracked).toBe(500)
  expect(out.finalized).toBe(out.tracked)
  expect(out.statuses['bad-key-core']).toEqual({ 'HTTP/1.1 400 Bad Request': 100 })
  expect(out.statuses['bad-protocol-ws']).toEqual({ 'HTTP/1.1 400 Bad Request': 100 })
  expect(out.statuses['refused-401']).toEqual({ 'HTTP/1.1 401 Unauthorized': 100 })
})
