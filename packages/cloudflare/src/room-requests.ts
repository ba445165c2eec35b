import type { WSSendData } from '@honokit/ws-core/adapter'
import { readAttachment } from './attachment.ts'
import type { DurableObjectStateLike } from './cloudflare-like.ts'
import type { DurableWebSocket } from './durable-object.ts'

/** One open connection of a room, as a plain HTTP route in the Worker sees it. */
export interface RoomConnection {
  /** The URL the connection was opened with. */
  url: string
  /** The negotiated subprotocol ('' for none). */
  protocol: string
  /** Its topics: those of `ws.subscribe` and the upgrade's tags. */
  topics: string[]
  /** Its `ws.data`. */
  data: Record<string, unknown>
}

/** A room's Durable Object, reached from a plain HTTP route in the Worker: each call is one request to the object. */
export interface Room {
  /** Sends `data` to every socket of the room subscribed to `topic` (by `ws.subscribe` or by a tag). */
  publish(topic: string, data: WSSendData): Promise<void>
  /** The room's open connections. */
  connections(): Promise<RoomConnection[]>
  /** How many connections are open, and how many are subscribed to each topic of `topics`. */
  stats(topics?: string[]): Promise<{ connections: number; subscribed: Record<string, number> }>
  /** Closes every socket of the room with 1001 (or `code`), refuses new ones, resolves once every `onClose` ran. */
  shutdown(options?: { code?: number; reason?: string }): Promise<void>
}

/** What the Worker needs of a Durable Object namespace binding. */
export interface NamespaceLike {
  idFromName(name: string): unknown
  get(id: unknown): { fetch(request: Request): Promise<Response> }
}

/** Which `createWebSocketObjects` instance a forwarded request comes from. */
export const INSTANCE = 'x-honokit-ws-instance'
/** What a request from `room()` asks of the object. */
export const OPERATION = 'x-honokit-ws-room'

const bytesOf = (data: WSSendData): Uint8Array | string =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)

/** The Worker's handle on the room `name` of the objects bound as `ns`. */
export function roomClient(ns: NamespaceLike, name: string, instance: string, binding: string): Room {
  const call = async (operation: string, body?: BodyInit, query = ''): Promise<Response> => {
    const headers = new Headers({ [INSTANCE]: instance, [OPERATION]: operation })
    const res = await ns
      .get(ns.idFromName(name))
      .fetch(new Request(`https://room.invalid/${operation}${query}`, { method: 'POST', headers, body }))
    if (!res.ok) {
      throw new Error(
        `room(${JSON.stringify(name)}).${operation}() failed: the Durable Object bound as \`${binding}\` answered ` +
          `${res.status} ${await res.text()}`
      )
    }
    return res
  }
  return {
    async publish(topic, data) {
      const body = bytesOf(data)
      const binary = typeof body === 'string' ? '' : '&binary=1'
      await (
        await call('publish', body as BodyInit, `?topic=${encodeURIComponent(topic)}${binary}`)
      ).arrayBuffer()
    },
    connections: async () => (await (await call('connections')).json()) as RoomConnection[],
    stats: async (topics = []) =>
      (await (await call('stats', JSON.stringify(topics))).json()) as Awaited<ReturnType<Room['stats']>>,
    async shutdown(options = {}) {
      await (await call('shutdown', JSON.stringify(options))).arrayBuffer()
    },
  }
}

/** Answers a request made by `roomClient` inside the object. */
export async function answerRoomRequest(
  request: Request,
  sockets: DurableWebSocket,
  ctx: DurableObjectStateLike
): Promise<Response> {
  const operation = request.headers.get(OPERATION)
  const list = (): RoomConnection[] =>
    [...sockets.connections].map((ws) => {
      const raw = ws.raw as Parameters<typeof readAttachment>[0]
      const topics = new Set([...(readAttachment(raw)?.t ?? []), ...(ctx.getTags?.(raw) ?? [])])
      return {
        url: ws.url?.href ?? '',
        protocol: ws.protocol ?? '',
        topics: [...topics],
        data: { ...ws.data },
      }
    })
  if (operation === 'publish') {
    const url = new URL(request.url)
    const topic = url.searchParams.get('topic') ?? ''
    const data = url.searchParams.has('binary') ? await request.arrayBuffer() : await request.text()
    sockets.publish(topic, data)
    return new Response(null, { status: 204 })
  }
  if (operation === 'connections') return Response.json(list())
  if (operation === 'stats') {
    const topics = (await request.json()) as string[]
    const all = list()
    const subscribed: Record<string, number> = {}
    for (const topic of topics) subscribed[topic] = all.filter((c) => c.topics.includes(topic)).length
    return Response.json({ connections: all.length, subscribed })
  }
  if (operation === 'shutdown') {
    await sockets.shutdown((await request.json()) as { code?: number; reason?: string })
    return new Response(null, { status: 204 })
  }
  return new Response(`unknown room operation ${operation}`, { status: 400 })
}
