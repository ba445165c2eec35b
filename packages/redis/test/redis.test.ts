// Publishes cross between server processes on three runtimes (Node, Bun, Deno) through a real redis-server.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { createWebSocketHub } from '@honokit/ws-core/adapter'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createRedisBroker } from '../src/index.ts'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const bun = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
const deno = join(dirname(require.resolve('deno/package.json')), 'deno')
// node-redis reads these two variables; Deno asks for each one by name.
const denoEnv = 'PORT,REDIS_URL,REDIS_DEBUG_MAINTENANCE,REDIS_EMIT_DIAGNOSTICS'

function findRedis(): string | undefined {
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server'
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}
const redisServer = findRedis()
if (!redisServer && process.env.CI) {
  throw new Error('redis-server is missing: .ci/run installs it (apt-get install -y redis-server).')
}
// Outside CI a machine without Redis reports these tests as skipped, with the install hint in their names.
const unlessNoRedis = redisServer ? '' : ' (skipped: no redis-server; apt-get install redis-server)'

let redis: ChildProcess | undefined
let redisUrl = ''
type Runtime = 'node' | 'bun' | 'deno'
const servers: Record<Runtime, ServerProcess | undefined> = {
  node: undefined,
  bun: undefined,
  deno: undefined,
}

beforeAll(async () => {
  if (!redisServer) return
  const port = await freePort()
  redisUrl = `redis://127.0.0.1:${port}`
  redis = spawn(
    redisServer,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore', detached: true }
  )
  await vi.waitFor(
    async () => {
      const probe = await createClient({ url: redisUrl }).connect()
      await probe.close()
    },
    { timeout: 15_000, interval: 100 }
  )
  const env = { REDIS_URL: redisUrl }
  servers.node = await startServer([process.execPath, '--import', 'tsx', 'test/fixtures/node-server.ts'], {
    cwd: pkg,
    env,
  })
  servers.bun = await startServer([bun, 'run', 'test/fixtures/bun-server.ts'], { cwd: pkg, env })
  servers.deno = await startServer(
    [deno, 'run', '--allow-net=127.0.0.1', `--allow-env=${denoEnv}`, 'test/fixtures/deno-server.ts'],
    { cwd: pkg, env: { ...env, DENO_NO_UPDATE_CHECK: '1' } }
  )
}, 90_000)

afterAll(async () => {
  await Promise.all([servers.node?.stop(), servers.bun?.stop(), servers.deno?.stop()])
  if (redis?.pid) process.kill(redis.pid, 'SIGKILL')
})

interface Member {
  ws: WebSocket
  got: (string | number[])[]
}

function member(server: Runtime, topic: string): Promise<Member> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${servers[server]!.port}/ws?topic=${topic}`)
    const got: (string | number[])[] = []
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary && data.toString() === 'subscribed') resolve({ ws, got })
      else got.push(isBinary ? [...data] : data.toString())
    })
    ws.on('error', reject)
  })
}

// Time for a duplicate, an echo to the sender or a leak to another topic to arrive, if one were coming.
const settle = () => new Promise((r) => setTimeout(r, 200))

describe('a Redis broker between Node, Bun and Deno servers', () => {
  it.skipIf(!redisServer)(
    `a client's publish reaches the subscribers on both servers once, the sender and other topics excluded${unlessNoRedis}`,
    async () => {
      const onNode = await member('node', 'room')
      const alsoOnNode = await member('node', 'room')
      const onBun = await member('bun', 'room')
      const otherTopic = await member('bun', 'hall')
      onNode.ws.send('from node')
      onBun.ws.send(new Uint8Array([0, 1, 255, 254]))
      await vi.waitFor(() => {
        expect(alsoOnNode.got).toHaveLength(2)
        expect(onNode.got).toHaveLength(1)
        expect(onBun.got).toHaveLength(1)
      })
      await settle()
      expect(onNode.got).toEqual([[0, 1, 255, 254]])
      expect(onBun.got).toEqual(['from node'])
      expect(alsoOnNode.got.map(String).sort()).toEqual(['0,1,255,254', 'from node'])
      expect(otherTopic.got).toEqual([])
      for (const m of [onNode, alsoOnNode, onBun, otherTopic]) m.ws.close()
    }
  )

  it.skipIf(!redisServer)(
    `a server-side publish from an HTTP route reaches the subscribers of both servers${unlessNoRedis}`,
    async () => {
      const onNode = await member('node', 'news')
      const onBun = await member('bun', 'news')
      const res = await fetch(`http://127.0.0.1:${servers.bun!.port}/publish/news`, {
        method: 'POST',
        body: 'extra, extra',
      })
      expect(await res.text()).toBe('published')
      await vi.waitFor(() => expect([onNode.got, onBun.got]).toEqual([['extra, extra'], ['extra, extra']]))
      await settle()
      expect([onNode.got, onBun.got]).toEqual([['extra, extra'], ['extra, extra']])
      onNode.ws.close()
      onBun.ws.close()
    }
  )

  it.skipIf(!redisServer)(
    `a Node and a Deno server exchange publishes both ways, text and binary, exactly once${unlessNoRedis}`,
    async () => {
      const onNode = await member('node', 'deno-room')
      const onDeno = await member('deno', 'deno-room')
      const alsoOnDeno = await member('deno', 'deno-room')
      onNode.ws.send('from node to deno')
      onDeno.ws.send(new Uint8Array([9, 0, 255]))
      await vi.waitFor(() => {
        expect(onNode.got).toHaveLength(1)
        expect(onDeno.got).toHaveLength(1)
        expect(alsoOnDeno.got).toHaveLength(2)
      })
      await settle()
      expect(onNode.got).toEqual([[9, 0, 255]])
      expect(onDeno.got).toEqual(['from node to deno'])
      expect(alsoOnDeno.got.map(String).sort()).toEqual(['9,0,255', 'from node to deno'])
      const res = await fetch(`http://127.0.0.1:${servers.deno!.port}/publish/deno-room`, {
        method: 'POST',
        body: 'from a Deno route',
      })
      expect(await res.text()).toBe('published')
      await vi.waitFor(() => expect(onNode.got.at(-1)).toBe('from a Deno route'))
      await settle()
      expect(onNode.got).toHaveLength(2)
      for (const m of [onNode, onDeno, alsoOnDeno]) m.ws.close()
    }
  )

  it.skipIf(!redisServer)(
    `a message published on the channel by something else is ignored, and the servers keep working${unlessNoRedis}`,
    async () => {
      const onNode = await member('node', 'after-noise')
      const onBun = await member('bun', 'after-noise')
      const stranger = await createClient({ url: redisUrl }).connect()
      await stranger.publish('honokit:ws', 'not a honokit frame')
      await stranger.close()
      onBun.ws.send('still here')
      await vi.waitFor(() => expect(onNode.got).toEqual(['still here']))
      expect(servers.node!.output() + servers.bun!.output()).toContain('ignored a message on honokit:ws')
      onNode.ws.close()
      onBun.ws.close()
    }
  )

  it.skipIf(!redisServer)(
    `the subscription lasts until the last helper using the broker shuts down${unlessNoRedis}`,
    async () => {
      const publisher = await createClient({ url: redisUrl }).connect()
      const subscriber = await publisher.duplicate().connect()
      const channel = 'test:lifetime'
      const subscribers = async () => Number((await publisher.pubSubNumSub(channel))[channel])
      try {
        const broker = createRedisBroker({ publisher, subscriber, channel })
        await broker.ready
        expect(await subscribers()).toBe(1)
        const first = createWebSocketHub({ broker })
        const second = createWebSocketHub({ broker })
        await first.shutdown()
        expect(await subscribers()).toBe(1)
        await second.shutdown()
        await vi.waitFor(async () => expect(await subscribers()).toBe(0))
      } finally {
        await subscriber.close()
        await publisher.close()
      }
    }
  )
})
