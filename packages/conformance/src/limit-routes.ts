import type { WSEvents } from '@honokit/ws-core'
import type { Hono } from 'hono'
import type { ConformanceAppOptions, ConformanceHelper } from './app.ts'
import type { CapabilityReport } from './capabilities.ts'
import type { EventLog } from './log.ts'

type Recording = (id: string, extra?: Partial<WSEvents<any>>) => WSEvents<any>

/** Routes of the production knobs and pub/sub: limits, heartbeat, backpressure, topics, stats, shutdown. */
export function addLimitRoutes(
  app: Hono,
  helper: ConformanceHelper,
  log: EventLog,
  recording: Recording,
  idOf: (url: string) => string,
  options: ConformanceAppOptions,
  capabilities: CapabilityReport
): void {
  const { upgradeWebSocket } = helper

  // Echo without any recording, for the churn checks (the event log would grow with every connection).
  app.get(
    '/ws/plain',
    upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) }))
  )

  // A lower maxPayload on one route (the helper's stays at its default of 1 MiB).
  app.get(
    '/ws/small',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), { maxPayload: 1024 })
  )

  // At most two open connections on this route.
  app.get(
    '/ws/limited',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), { maxConnections: 2 })
  )

  // Only one listed origin, and no request without Origin.
  app.get(
    '/ws/origins',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), {
      allowedOrigins: ['http://allowed.test'],
      allowMissingOrigin: false,
    })
  )

  // A fast heartbeat: a peer that does not answer pings is dropped. Only where the runtime can ping: an adapter
  // refuses a heartbeat setting it cannot honour.
  if (capabilities.serverPing.supported)
    app.get(
      '/ws/heartbeat',
      upgradeWebSocket((c) => recording(idOf(c.req.url)), { heartbeat: { interval: 300, timeout: 300 } })
    )

  // Backpressure: on 'flood' the server sends without waiting; past 1 MiB buffered the consumer is closed (1013).
  // On 'paced' it waits for ws.drained() between chunks and reports how many chunks and drain events it saw.
  if (capabilities.bufferedAmount.supported)
    app.get(
      '/ws/backpressure',
      upgradeWebSocket(
        (c) => {
          const id = idOf(c.req.url)
          let drains = 0
          return recording(id, {
            onMessage: async (e, ws) => {
              const chunk = new Uint8Array(256 * 1024)
              if (e.data === 'flood') {
                for (let i = 0; i < 400 && ws.readyState === 1; i++) ws.send(chunk)
                log.add(id, { event: 'flood-done', readyState: ws.readyState })
              } else if (e.data === 'paced') {
                let sent = 0
                for (let i = 0; i < 32 && ws.readyState === 1; i++) {
                  ws.send(chunk)
                  sent++
                  await ws.drained()
                }
                ws.send(`done:${sent}:${drains}`)
              }
            },
            onDrain: () => {
              drains++
            },
          })
        },
        { maxBufferedAmount: 1024 * 1024 }
      )
    )

  // Topics. Text commands: 'sub:T', 'unsub:T', 'pub:T:text', 'is:T'; a binary message is published to 'bin'.
  app.get(
    '/ws/pubsub',
    upgradeWebSocket(() => ({
      onMessage(e, ws) {
        if (typeof e.data !== 'string') {
          ws.publish('bin', e.data)
          return
        }
        const [cmd, topic = '', ...rest] = e.data.split(':')
        if (cmd === 'sub') ws.subscribe(topic)
        else if (cmd === 'unsub') ws.unsubscribe(topic)
        else if (cmd === 'pub') ws.publish(topic, rest.join(':'))
        else if (cmd === 'is') {
          ws.send(`is:${topic}:${ws.isSubscribed(topic)}`)
          return
        }
        ws.send(`ok:${e.data}`)
      },
    }))
  )

  // Server-side publish from an ordinary HTTP route.
  app.post('/publish/:topic', async (c) => {
    const binary = c.req.query('binary') === '1'
    const body = binary ? new Uint8Array(await c.req.arrayBuffer()) : await c.req.text()
    await helper.publish(c.req.param('topic'), body)
    return c.text('published')
  })

  // The helper's live view of its connections: how many, how many carry `?tag=` (so a scenario counts only its
  // own connections, whatever earlier scenarios still have closing), and who is subscribed to a topic.
  app.get('/stats', async (c) => {
    const topic = c.req.query('topic')
    const tag = c.req.query('tag')
    let subscribed = 0
    let tagged = 0
    for await (const ws of helper.connections) {
      if (topic && ws.isSubscribed(topic)) subscribed++
      if (tag && ws.url?.searchParams.get('tag') === tag) tagged++
    }
    const memory = options.memoryUsage ? await options.memoryUsage() : null
    return c.json({ connections: await helper.connections.size, subscribed, tagged, memory })
  })

  // Graceful shutdown: closes every connection with 1001 and answers once all onClose handlers ran.
  let closedDuringShutdown = 0
  app.get(
    '/ws/shutdown-probe',
    upgradeWebSocket(() => ({
      onClose: () => {
        closedDuringShutdown++
      },
    }))
  )
  app.post('/shutdown', async (c) => {
    const open = await helper.connections.size
    await helper.shutdown()
    return c.json({
      openBefore: open,
      openAfter: await helper.connections.size,
      probesClosed: closedDuringShutdown,
    })
  })
}
