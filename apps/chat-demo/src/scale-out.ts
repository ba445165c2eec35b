// Several chat instances as one chat, through Redis: publishes on the broker's pub/sub channel, presence in a
// sorted set per room, history in a list per room. Loaded only when REDIS_URL is set.
import { createRedisBroker, type RedisBroker } from '@honokit/ws-redis'
import { createClient } from 'redis'
import type { ChatOptions } from './app.ts'
import type { HistoryStore } from './history.ts'
import type { PresenceStore } from './presence.ts'
import { type ChatLine, LIMITS } from './protocol.ts'

type Client = ReturnType<typeof createClient>

export interface ScaleOutOptions {
  url: string
  /** How long to wait for Redis at startup before giving up with an error (default 10 s). */
  waitMs?: number
  /** A member whose instance stopped refreshing it for this long is gone (default 6 s; refreshed every ttl/3). */
  ttlMs?: number
  /** Which runtime this instance runs on, for `/status`. */
  runtime: string
  log?: (line: string) => void
}

export interface ScaleOut {
  broker: RedisBroker
  /** The stores and the status route for `createChatApp`. */
  chat: ChatOptions
  /** Stops the heartbeat and closes both Redis connections. */
  close(): Promise<void>
}

const presenceKey = (room: string) => `chat:presence:${room}`
const historyKey = (room: string) => `chat:history:${room}`

/**
 * Connects to Redis (waiting up to `waitMs`, with one line saying so, then failing with an error that names the URL
 * and the fix) and returns the broker and the shared stores.
 */
export async function connectScaleOut(options: ScaleOutOptions): Promise<ScaleOut> {
  const { url } = options
  const waitMs = options.waitMs ?? 10_000
  const ttlMs = options.ttlMs ?? 6000
  const log = options.log ?? ((line: string) => console.log(line))
  // No offline queue: while Redis is down a presence or history command fails at once (the chat goes on with
  // what this instance knows) instead of piling up and replaying later.
  const client: Client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.min(waitMs, 5000),
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  })
  const subscriber = client.duplicate()
  let lastError = ''
  let announced = false
  const onStartupError = (error: Error) => {
    lastError = error.message
    if (announced) return
    announced = true
    log(`waiting for Redis at ${url} (${lastError}); giving up after ${waitMs / 1000} s`)
  }
  client.on('error', onStartupError)
  subscriber.on('error', onStartupError)
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `could not reach Redis at ${url} within ${waitMs / 1000} s (${lastError || 'no answer'}). ` +
              'Start redis-server there or point REDIS_URL at a running Redis; without REDIS_URL the chat runs as one instance.'
          )
        ),
      waitMs
    )
  })
  let broker: RedisBroker
  try {
    broker = await Promise.race([
      (async () => {
        await Promise.all([client.connect(), subscriber.connect()])
        const b = createRedisBroker({ publisher: client, subscriber, channel: 'chat:ws' })
        await b.ready
        await client.ping()
        return b
      })(),
      deadline,
    ])
  } catch (error) {
    client.destroy()
    subscriber.destroy()
    throw error
  } finally {
    clearTimeout(timer)
  }
  client.off('error', onStartupError)
  subscriber.off('error', onStartupError)
  log(`connected to Redis at ${url}`)

  const instance = `${options.runtime}-${crypto.randomUUID().slice(0, 8)}`
  const { presence, stop } = redisPresence(client, instance, ttlMs)
  return {
    broker,
    chat: {
      presence,
      history: redisHistory(client),
      status: () => ({ mode: 'cluster', instance, runtime: options.runtime, broker: broker.state }),
    },
    async close() {
      stop()
      await Promise.allSettled([client.close(), subscriber.close()])
    },
  }
}

/** The last lines of each room in a Redis list, trimmed to the history length on every add. */
function redisHistory(client: Client): HistoryStore {
  return {
    async recent(room) {
      try {
        const lines = await client.lRange(historyKey(room), -LIMITS.history, -1)
        return lines.map((line) => JSON.parse(line) as ChatLine)
      } catch {
        return [] // Redis is down: the welcome comes without history.
      }
    },
    async add(room, line) {
      try {
        await client
          .multi()
          .rPush(historyKey(room), JSON.stringify(line))
          .lTrim(historyKey(room), -LIMITS.history, -1)
          .exec()
      } catch {
        // Redis is down: the line is still delivered live, it is only missing from later welcomes.
      }
    },
  }
}

/**
 * Members in a sorted set per room, scored by when their instance last refreshed them. Every instance refreshes its
 * own members each ttl/3; a member older than the ttl is gone (its instance died), and the first live instance with
 * members in that room to remove it tells the room.
 */
function redisPresence(client: Client, instance: string, ttlMs: number) {
  const local = new Map<string, { room: string; name: string; entry: string }>()
  let gone: ((room: string, names: string[], members: string[]) => void) | undefined
  const namesOf = (entries: string[]) =>
    [...new Set(entries.map((entry) => String((JSON.parse(entry) as string[])[2])))].sort()
  const localMembers = (room: string) =>
    namesOf([...local.values()].filter((m) => m.room === room).map((m) => m.entry))

  const presence: PresenceStore = {
    async join(room, id, name) {
      const entry = JSON.stringify([instance, id, name])
      local.set(id, { room, name, entry })
      await client.zAdd(presenceKey(room), { score: Date.now(), value: entry }).catch(() => {})
    },
    async leave(room, id) {
      const member = local.get(id)
      local.delete(id)
      if (member) await client.zRem(presenceKey(room), member.entry).catch(() => {})
    },
    async members(room) {
      try {
        return namesOf(await client.zRangeByScore(presenceKey(room), Date.now() - ttlMs, '+inf'))
      } catch {
        return localMembers(room) // Redis is down: this instance's own members.
      }
    },
    watch(callback) {
      gone = callback
    },
  }

  const beat = async () => {
    const now = Date.now()
    const rooms = new Map<string, string[]>()
    for (const m of local.values()) rooms.set(m.room, [...(rooms.get(m.room) ?? []), m.entry])
    if (rooms.size === 0) return
    // Also re-adds this instance's members after Redis restarted empty.
    const refresh = client.multi()
    for (const [room, entries] of rooms) {
      refresh.zAdd(
        presenceKey(room),
        entries.map((value) => ({ score: now, value }))
      )
      refresh.pExpire(presenceKey(room), ttlMs * 2)
    }
    await refresh.exec()
    for (const room of rooms.keys()) {
      const stale = await client.zRangeByScore(presenceKey(room), '-inf', now - ttlMs)
      const removed: string[] = []
      // ZREM answers 1 to exactly one instance: that one tells the room.
      for (const entry of stale) if ((await client.zRem(presenceKey(room), entry)) === 1) removed.push(entry)
      if (removed.length === 0) continue
      const members = await presence.members(room)
      const names = namesOf(removed).filter((name) => !members.includes(name))
      if (names.length > 0) gone?.(room, names, members as string[])
    }
  }
  let beating = false
  const timer = setInterval(
    () => {
      if (beating) return
      beating = true
      beat()
        .catch(() => {}) // Redis is down: the next beat tries again.
        .finally(() => {
          beating = false
        })
    },
    Math.max(100, Math.floor(ttlMs / 3))
  )
  return { presence, stop: () => clearInterval(timer) }
}
