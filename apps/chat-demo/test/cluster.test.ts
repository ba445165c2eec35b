// The chat as a cluster under faults, against a real redis-server (started on a free port, killed by PID): an
// instance killed with SIGKILL, Redis restarting under running instances, and Redis missing or silent at startup.
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { freePort, startBalancer, startInstance, startRedis } from '../scripts/cluster.mjs'

const hasRedis = existsSync('/usr/bin/redis-server')
if (!hasRedis && process.env.CI) {
  throw new Error('redis-server is missing: .ci/run installs it (apt-get install -y redis-server).')
}
// Outside CI a machine without Redis reports these tests as skipped, with the install hint in their names.
const unlessNoRedis = hasRedis ? '' : ' (skipped: no redis-server; apt-get install redis-server)'
const TTL = 3000

const running: {
  stop?: () => Promise<unknown>
  kill?: () => Promise<unknown>
  close?: () => Promise<unknown>
}[] = []
afterEach(async () => {
  for (const p of running.splice(0).reverse()) await (p.stop ?? p.kill ?? p.close)?.().catch(() => {})
})
const track = <T extends (typeof running)[number]>(p: T): T => {
  running.push(p)
  return p
}

interface Peer {
  ws: WebSocket
  inbox: any[]
  next(type: string, match?: (m: any) => boolean, ms?: number): Promise<any>
  closed: Promise<number>
}

function enter(port: number, name: string, room: string): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?${new URLSearchParams({ name, room })}`)
    const inbox: any[] = []
    ws.on('message', (d) => inbox.push(JSON.parse(String(d))))
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)))
    const next = async (type: string, match: (m: any) => boolean = () => true, ms = 5000) => {
      let found: any
      await vi.waitFor(
        () => {
          const i = inbox.findIndex((m) => m.type === type && match(m))
          if (i < 0) throw new Error(`no ${type} for ${name} yet; got ${JSON.stringify(inbox).slice(-300)}`)
          found = inbox.splice(i, 1)[0]
        },
        { timeout: ms, interval: 20 }
      )
      return found
    }
    ws.on('open', () => resolve({ ws, inbox, next, closed }))
    ws.on('error', reject)
  })
}
const say = (p: Peer, text: string) => p.ws.send(JSON.stringify({ type: 'message', text }))
const status = async (port: number) => (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as any
const settle = () => new Promise((r) => setTimeout(r, 300))

describe('the chat cluster under faults', () => {
  it.skipIf(!hasRedis)(
    `an instance killed with SIGKILL: its members leave presence within the TTL, the other keeps serving, its clients reconnect through the balancer${unlessNoRedis}`,
    async () => {
      const redis = track(await startRedis(await freePort()))
      const env = { REDIS_URL: redis.url, PRESENCE_TTL_MS: String(TTL) }
      const a = track(await startInstance('node', { port: await freePort(), env }))
      const b = track(await startInstance('bun', { port: await freePort(), env }))
      // The balancer's first connection goes to b.
      const balancer = track(await startBalancer(await freePort(), [b.port, a.port]))
      const balancerPort = Number(new URL(balancer.url).port)

      const ann = await enter(a.port, 'ann', 'kill')
      await ann.next('welcome')
      const bob = await enter(balancerPort, 'bob', 'kill')
      expect((await bob.next('welcome')).members).toEqual(['ann', 'bob'])
      const cy = await enter(b.port, 'cy', 'kill')
      await cy.next('welcome')
      await ann.next('presence', (m) => m.name === 'cy')
      say(bob, 'before the crash')
      await ann.next('message', (m) => m.text === 'before the crash')

      b.child.kill('SIGKILL')
      const killedAt = Date.now()
      expect(await bob.closed).toBe(1006)
      // bob reconnects the way the page does: to the same address, which the balancer sends to a live instance.
      const bob2 = await enter(balancerPort, 'bob', 'kill')
      const welcome = await bob2.next('welcome')
      expect(welcome.history.map((l: any) => l.text)).toEqual(['before the crash'])
      expect(welcome.members).toContain('ann')

      const left = await ann.next('presence', (m) => m.event === 'leave' && m.name === 'cy', TTL * 3)
      const after = Date.now() - killedAt
      expect(after).toBeLessThan(TTL + TTL / 3 + 1500)
      expect(left.members).toEqual(['ann', 'bob'])
      expect(await status(a.port)).toMatchObject({ mode: 'cluster', broker: 'ready' })

      say(bob2, 'after the crash')
      await ann.next('message', (m) => m.text === 'after the crash')
      await settle()
      expect(ann.inbox.filter((m) => m.type === 'message')).toEqual([])
      for (const p of [ann, bob2]) p.ws.close()
    },
    45_000
  )

  it.skipIf(!hasRedis)(
    `Redis restarts: Node and Deno instances report down then ready, resubscribe by themselves, deliver nothing twice and restore presence${unlessNoRedis}`,
    async () => {
      const redisPort = await freePort()
      let redis = await startRedis(redisPort)
      running.push({ kill: () => redis.kill() })
      const env = { REDIS_URL: redis.url, PRESENCE_TTL_MS: String(TTL) }
      const a = track(await startInstance('node', { port: await freePort(), env }))
      const d = track(await startInstance('deno', { port: await freePort(), env }))
      const ann = await enter(a.port, 'ann', 'restart')
      await ann.next('welcome')
      const dan = await enter(d.port, 'dan', 'restart')
      await dan.next('welcome')
      await ann.next('presence', (m) => m.name === 'dan')

      await redis.kill()
      await vi.waitFor(async () => expect((await status(a.port)).broker).toBe('down'), { timeout: 5000 })
      await vi.waitFor(async () => expect((await status(d.port)).broker).toBe('down'), { timeout: 5000 })
      say(ann, 'while redis is down')
      await ann.next('message', (m) => m.text === 'while redis is down') // local subscribers still get it

      redis = await startRedis(redisPort)
      await vi.waitFor(async () => expect((await status(a.port)).broker).toBe('ready'), { timeout: 10_000 })
      await vi.waitFor(async () => expect((await status(d.port)).broker).toBe('ready'), { timeout: 10_000 })
      say(ann, 'after the restart')
      say(dan, 'deno is back too')
      await dan.next('message', (m) => m.text === 'after the restart')
      await ann.next('message', (m) => m.text === 'deno is back too')
      // Redis came back empty; each instance re-adds its members on its next heartbeat.
      await vi.waitFor(
        async () => {
          const eve = await enter(a.port, 'eve', 'restart')
          const members = (await eve.next('welcome')).members
          eve.ws.close()
          expect(members).toEqual(['ann', 'dan', 'eve'])
        },
        { timeout: TTL * 2, interval: 300 }
      )
      await settle()
      const messages = (p: Peer) => p.inbox.filter((m) => m.type === 'message').map((m) => m.text)
      expect(messages(dan)).toEqual(['deno is back too'])
      expect(messages(ann)).toEqual(['after the restart'])
      for (const instance of [a, d]) {
        expect(instance.output().match(/Redis is unreachable/g)).toHaveLength(1)
        expect(instance.output()).toMatch(
          /Redis is back after \d+\.\d s; 1 publish\(es\)|Redis is back after \d+\.\d s; 0 publish\(es\)/
        )
      }
      expect(a.output()).toMatch(
        /Redis is back after \d+\.\d s; 1 publish\(es\) to other instances were dropped/
      )
      for (const p of [ann, dan]) p.ws.close()
    },
    45_000
  )

  it.skipIf(!hasRedis)(
    `Redis unreachable at startup: the instance says it waits, then exits 1 naming the URL and the fix${unlessNoRedis}`,
    async () => {
      const url = `redis://127.0.0.1:${await freePort()}`
      const started = Date.now()
      const failure = await startInstance('node', {
        port: await freePort(),
        env: { REDIS_URL: url, REDIS_WAIT_MS: '1500' },
      }).then(
        (i) => {
          track(i)
          return 'started'
        },
        (e: Error) => e.message
      )
      expect(failure).toMatch(/exited \(1\)/)
      expect(failure).toContain(`waiting for Redis at ${url} (connect ECONNREFUSED`)
      expect(failure).toContain(`could not reach Redis at ${url} within 1.5 s`)
      expect(failure).toContain('point REDIS_URL at a running Redis')
      expect(Date.now() - started).toBeLessThan(10_000)
    },
    20_000
  )

  it.skipIf(!hasRedis)(
    `Redis that accepts connections but never answers: the instance gives up after the wait, with the error${unlessNoRedis}`,
    async () => {
      const redis = track(await startRedis(await freePort()))
      process.kill(redis.child.pid!, 'SIGSTOP')
      running.push({ stop: async () => process.kill(redis.child.pid!, 'SIGCONT') })
      const failure = await startInstance('bun', {
        port: await freePort(),
        env: { REDIS_URL: redis.url, REDIS_WAIT_MS: '1500' },
      }).then(
        (i) => {
          track(i)
          return 'started'
        },
        (e: Error) => e.message
      )
      expect(failure).toMatch(/exited \(1\)/)
      expect(failure).toContain(`could not reach Redis at ${redis.url} within 1.5 s (no answer)`)
    },
    20_000
  )

  it.skipIf(!hasRedis)(
    `Redis that starts late: the instance waits for it, then serves${unlessNoRedis}`,
    async () => {
      const redisPort = await freePort()
      const starting = startInstance('deno', {
        port: await freePort(),
        env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_WAIT_MS: '15000' },
      })
      await new Promise((r) => setTimeout(r, 1500))
      track(await startRedis(redisPort))
      const instance = track(await starting)
      expect(instance.output()).toContain('waiting for Redis at')
      expect(instance.output()).toContain('connected to Redis at')
      expect((await status(instance.port)).broker).toBe('ready')
    },
    30_000
  )
})
