// Redis restarts under two brokers (each with its own publisher and subscriber connections to a real
// redis-server): both see it go down and come back by themselves, publishes made meanwhile are dropped with one log
// line per outage, and nothing is delivered twice.

import { freePort } from '@honokit/ws-conformance/runner'
import type { WSBrokerMessage } from '@honokit/ws-core'
import { createClient } from 'redis'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createRedisBroker, type RedisBroker, type RedisBrokerState } from '../src/index.ts'
import { findRedis, type RedisProcess, startRedis } from './fixtures/redis-server.ts'

const redisServer = findRedis()
if (!redisServer && process.env.CI) {
  throw new Error('redis-server is missing: .ci/run installs it (apt-get install -y redis-server).')
}
const unlessNoRedis = redisServer ? '' : ' (skipped: no redis-server; apt-get install redis-server)'

const cleanup: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {})
})

interface Instance {
  broker: RedisBroker
  got: string[]
  states: RedisBrokerState[]
  errors: string[]
  infos: string[]
}

async function instance(url: string, origin: string): Promise<Instance> {
  const publisher = createClient({ url })
  const subscriber = publisher.duplicate()
  const errors: string[] = []
  const infos: string[] = []
  const broker = createRedisBroker({
    publisher,
    subscriber,
    channel: 'test:faults',
    logger: { error: (...a) => errors.push(a.join(' ')), info: (...a) => infos.push(a.join(' ')) },
  })
  await Promise.all([publisher.connect(), subscriber.connect()])
  cleanup.push(
    () => subscriber.close(),
    () => publisher.close()
  )
  await broker.ready
  const got: string[] = []
  const states: RedisBrokerState[] = []
  broker.onStateChange((s) => states.push(s))
  broker.subscribe((m: WSBrokerMessage) => {
    if (m.origin !== origin) got.push(String(m.data))
  })
  return { broker, got, states, errors, infos }
}

const publish = (from: Instance, origin: string, data: string) =>
  from.broker.publish({ topic: 't', data, origin })
const settle = () => new Promise((r) => setTimeout(r, 300))

describe('Redis restarts under running brokers', () => {
  it.skipIf(!redisServer)(
    `both brokers go down and come back by themselves, drop what was published meanwhile with one log line per outage, and deliver nothing twice${unlessNoRedis}`,
    async () => {
      const port = await freePort()
      let redis: RedisProcess = await startRedis(redisServer!, port)
      cleanup.push(() => redis.kill())
      const a = await instance(redis.url, 'a')
      const b = await instance(redis.url, 'b')
      expect([a.broker.state, b.broker.state]).toEqual(['ready', 'ready'])
      await publish(a, 'a', 'before')
      await vi.waitFor(() => expect(b.got).toEqual(['before']))

      for (const outage of [1, 2]) {
        await redis.kill()
        await vi.waitFor(() => expect([a.broker.state, b.broker.state]).toEqual(['down', 'down']), {
          timeout: 5000,
        })
        for (let i = 0; i < 5; i++) await publish(a, 'a', `during ${outage}.${i}`)
        await publish(b, 'b', `during ${outage} from b`)
        expect(a.broker.dropped).toBe(5 * outage)
        redis = await startRedis(redisServer!, port)
        await vi.waitFor(() => expect([a.broker.state, b.broker.state]).toEqual(['ready', 'ready']), {
          timeout: 10_000,
        })
        await publish(a, 'a', `after ${outage} from a`)
        await publish(b, 'b', `after ${outage} from b`)
        await vi.waitFor(() => {
          expect(b.got.at(-1)).toBe(`after ${outage} from a`)
          expect(a.got.at(-1)).toBe(`after ${outage} from b`)
        })
      }
      await settle()
      expect(b.got).toEqual(['before', 'after 1 from a', 'after 2 from a'])
      expect(a.got).toEqual(['after 1 from b', 'after 2 from b'])
      expect(a.states).toEqual(['down', 'ready', 'down', 'ready'])
      expect(b.states).toEqual(['down', 'ready', 'down', 'ready'])
      for (const i of [a, b]) {
        expect(i.errors).toHaveLength(2)
        expect(i.errors[0]).toMatch(/Redis is unreachable .*copies for other instances are dropped/)
        expect(i.infos).toHaveLength(2)
      }
      expect(a.infos[0]).toMatch(
        /Redis is back after \d+\.\d s; 5 publish\(es\) to other instances were dropped/
      )
    },
    40_000
  )
})
