import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Client, join as joinAt } from './join.ts'

const pkg = fileURLToPath(new URL('..', import.meta.url))
let server: ServerProcess

beforeAll(async () => {
  server = await startServer([process.execPath, '--import', 'tsx', 'test/fixtures/serve-chat.ts'], {
    cwd: pkg,
    readyPath: '/',
  })
}, 60_000)
afterAll(() => server?.stop())

const join = (path: string) => joinAt(server.port, path)

/** Each client says something; returns what every client received, as parsed lines. */
async function roundOfChat(clients: Client[], tag: string) {
  for (const [i, c] of clients.entries()) c.ws.send(`${tag} from ${i}`)
  return Promise.all(
    clients.map(async (c) => {
      const got = [await c.next(), await c.next()].map((l) => JSON.parse(l))
      return got.sort((a, b) => a.text.localeCompare(b.text))
    })
  )
}

it('a chat room in a Durable Object: three clients see each other, also after the object was evicted and woken', async () => {
  const clients = await Promise.all(['ann', 'bob', 'cy'].map((u) => join(`/room/lobby?user=${u}`)))
  const tooBig = await join('/too-big')
  const direct = await join('/direct')
  const before = await roundOfChat(clients, 'hello')
  expect(before.map((lines) => lines.map((l) => `${l.from}:${l.text}`))).toEqual([
    ['bob:hello from 1', 'cy:hello from 2'],
    ['ann:hello from 0', 'cy:hello from 2'],
    ['ann:hello from 0', 'bob:hello from 1'],
  ])
  const instanceBefore = before[0]![0].instance

  // Eviction needs about 11 s without activity in the object (RUNTIME-NOTES W14). A loaded machine may take longer,
  // so each idle spell that ends on the same instance is followed by another.
  let after: Awaited<ReturnType<typeof roundOfChat>> = []
  for (let spell = 1; spell <= 4; spell++) {
    await new Promise((r) => setTimeout(r, 13_000))
    after = await roundOfChat(clients, `again${spell}`)
    expect(after.map((lines) => lines.map((l) => `${l.from}@${l.room}:${l.text}`))).toEqual([
      [`bob@lobby:again${spell} from 1`, `cy@lobby:again${spell} from 2`],
      [`ann@lobby:again${spell} from 0`, `cy@lobby:again${spell} from 2`],
      [`ann@lobby:again${spell} from 0`, `bob@lobby:again${spell} from 1`],
    ])
    if (after[0]![0].instance !== instanceBefore) break
  }
  expect(after[0]![0].instance, 'the object was not evicted after 4 idle spells of 13 s').not.toBe(
    instanceBefore
  )

  // A socket opened with the direct form has no createEvents to rebuild its handlers from: closed with 1012.
  direct.ws.send('after wake')
  expect(await direct.closed).toEqual({
    code: 1012,
    reason: 'handlers cannot be restored after hibernation: use upgradeWebSocket(createEvents)',
  })

  // ws.data past the attachment limit: a clear error through onError, and the connection closes with 1011.
  tooBig.ws.send('grow')
  expect(await tooBig.next()).toMatch(/^error: ws\.data no longer fits a Durable Object WebSocket attachment/)
  expect((await tooBig.closed).code).toBe(1011)

  for (const c of clients) c.ws.close()
  await Promise.all(clients.map((c) => c.closed))
}, 120_000)
