import { connect } from '@honokit/ws-testing'
import { expect, it, vi } from 'vitest'
import { app } from './chat-app.ts'

vi.mock('@honokit/ws-node', () => import('@honokit/ws-testing'))

it('a message reaches everyone in the room', async () => {
  const ann = await connect(app, '/chat/lobby', { query: { name: 'ann' } })
  const bob = await connect(app, '/chat/lobby', { query: { name: 'bob' } })
  expect(await ann.nextJson()).toEqual({ type: 'welcome', room: 'lobby', name: 'ann' })
  await bob.next()
  ann.send('hi')
  expect(await bob.nextJson()).toEqual({ type: 'message', name: 'ann', text: 'hi' })
  expect(await ann.nextJson()).toMatchObject({ text: 'hi' })
  expect(await ann.close(1000)).toMatchObject({ code: 1000 })
  await bob.close()
})
