import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import { expect, it, vi } from 'vitest'
import { exchange } from './helpers.ts'

const fixture = fileURLToPath(new URL('./fixtures/node-ws-app.ts', import.meta.url))

it('an app written for @hono/node-ws runs with only the import line changed', async () => {
  const source = readFileSync(fixture, 'utf8')
  expect(source.match(/from '@honokit\/ws-node'/g)).toHaveLength(1)
  expect(source).not.toMatch(/from '@hono\/node-ws'/)
  const server = await startServer([process.execPath, '--import', 'tsx', fixture], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    readyPath: '/',
  })
  try {
    expect(await exchange(`ws://127.0.0.1:${server.port}/ws`, 'hello')).toEqual({
      reply: 'Hello from server!',
      protocol: '',
    })
    await vi.waitFor(
      () => {
        expect(server.output()).toContain('Message from client: hello')
        expect(server.output()).toContain('Connection closed')
      },
      { timeout: 5000 }
    )
  } finally {
    await server.stop()
  }
})
