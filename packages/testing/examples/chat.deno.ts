// deno test --import-map=examples/import-map.json: the map puts @honokit/ws-testing where the app imports its adapter.
import assert from 'node:assert/strict'
import { connect } from '@honokit/ws-testing'
import { app } from './chat-app.ts'

Deno.test('a message reaches everyone in the room', async () => {
  const ann = await connect(app, '/chat/lobby', { query: { name: 'ann' } })
  const bob = await connect(app, '/chat/lobby', { query: { name: 'bob' } })
  assert.deepEqual(await ann.nextJson(), { type: 'welcome', room: 'lobby', name: 'ann' })
  await bob.next()
  ann.send('hi')
  assert.deepEqual(await bob.nextJson(), { type: 'message', name: 'ann', text: 'hi' })
  assert.equal((await ann.nextJson<{ text: string }>()).text, 'hi')
  assert.equal((await ann.close(1000)).code, 1000)
  await bob.close()
})
