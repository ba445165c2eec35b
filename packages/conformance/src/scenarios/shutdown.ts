import assert from 'node:assert/strict'
import { within } from '../runner/client.ts'
import { type Scenario, scenario } from '../runner/scenario.ts'
import { open, refused } from './helpers.ts'

/** Last of the suite: after it the server accepts no new connection. */
export const shutdown: Scenario[] = [
  scenario({
    id: 'SD1',
    title:
      'shutdown closes every connection with 1001, runs each onClose, resolves after, and refuses new ones',
    requires: ['crossConnectionSend'],
    timeout: 30_000,
    async run(t) {
      const clients = await Promise.all([0, 1, 2].map(() => open(t, '/ws/shutdown-probe')))
      const res = await t.fetch(t.httpUrl('/shutdown'), { method: 'POST' })
      const report = (await res.json()) as { openBefore: number; openAfter: number; probesClosed: number }
      assert.ok(report.openBefore >= 3)
      assert.equal(report.openAfter, 0)
      assert.equal(report.probesClosed, 3)
      for (const { client } of clients) {
        const closed = await within(client.closed, 10_000, 'the shutdown close')
        assert.equal(closed.code, 1001)
      }
      assert.equal((await refused(t, t.wsUrl('/ws/echo'))).status, 503)
      await t.waitForOutput('the server is shutting down: shutdown() was called')
    },
  }),
]
