import assert from 'node:assert/strict'
import { within } from '../runner/client.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { closeAndWait, has, only, open } from './helpers.ts'

type T = Parameters<Scenario['run']>[0]
type Where = 'open' | 'message' | 'close'

/** Triggers a failure in handler `where` and returns the log and the close code the client saw. */
async function provoke(t: T, where: Where, query: string) {
  const { client, id } = await open(t, `/ws/throw?in=${where}&${query}`)
  if (where === 'message') client.ws.send('trigger')
  if (where === 'close') client.ws.close(4000, 'client done')
  const closed = await within(client.closed, 5000, 'the connection to close')
  const log = await t.waitForLog(id, (l) => has('error')(l) && has('close')(l))
  return { closed, log }
}

function handlerFailure(n: number, where: Where, mode: 'sync' | 'async'): Scenario {
  const handler = `on${where[0]!.toUpperCase()}${where.slice(1)}`
  const how = mode === 'sync' ? 'a throw' : 'an async rejection'
  const closes = where === 'close' ? '' : ', closes with 1011,'
  return scenario({
    id: `ER${n}`,
    title: `${how} in ${handler} reaches onError with the error${closes} and the server lives`,
    async run(t) {
      const { closed, log } = await provoke(t, where, `mode=${mode}`)
      const errors = only(log, 'error')
      assert.equal(errors.length, 1, `onError calls: ${errors.length}`)
      assert.equal(errors[0]?.error, `Error: boom in ${handler}`)
      assert.equal(errors[0]?.same, true, 'onError got another WSContext')
      assert.equal(closed.code, where === 'close' ? 4000 : 1011)
      await t.assertServerAlive()
    },
  })
}

export const errors = [
  handlerFailure(1, 'open', 'sync'),
  handlerFailure(2, 'open', 'async'),
  handlerFailure(3, 'message', 'sync'),
  handlerFailure(4, 'message', 'async'),
  handlerFailure(5, 'close', 'sync'),
  handlerFailure(6, 'close', 'async'),
  scenario({
    id: 'ER7',
    title: 'a thrown non-Error value reaches onError as it was thrown',
    async run(t) {
      const { closed, log } = await provoke(t, 'message', 'mode=sync&value=string')
      assert.equal(only(log, 'error')[0]?.error, 'thrown-string-onMessage')
      assert.equal(closed.code, 1011)
    },
  }),
  scenario({
    id: 'ER8',
    title: 'onError throwing does not take the server down',
    async run(t) {
      const { closed } = await provoke(t, 'message', 'mode=sync&onerror=throw')
      assert.equal(closed.code, 1011)
      await t.assertServerAlive()
    },
  }),
  scenario({
    id: 'ER9',
    title: 'onError rejecting does not take the server down',
    async run(t) {
      const { closed } = await provoke(t, 'message', 'mode=async&onerror=reject')
      assert.equal(closed.code, 1011)
      await t.assertServerAlive()
    },
  }),
  scenario({
    id: 'ER10',
    title: 'a failing handler closes only its own connection',
    async run(t) {
      const bystander = await open(t, '/ws/echo')
      await provoke(t, 'message', 'mode=sync')
      bystander.client.ws.send('still here')
      assert.equal((await bystander.client.next()).text, 'still here')
      const log = await closeAndWait(t, bystander.client, bystander.id)
      assert.equal(only(log, 'error').length, 0)
    },
  }),
  scenario({
    id: 'ER11',
    title: 'after a handler failure no further message reaches onMessage',
    async run(t) {
      const { client, id } = await open(t, '/ws/throw?in=message&mode=sync')
      for (let i = 0; i < 5; i++) client.ws.send(`trigger ${i}`)
      const closed = await within(client.closed, 5000, 'the connection to close')
      assert.equal(closed.code, 1011)
      const log = await t.waitForLog(id, has('close'))
      assert.equal(only(log, 'error').length, 1)
      assert.equal(only(log, 'message').length, 1)
    },
  }),
]
