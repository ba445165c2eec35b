import type { HubMember, WSContext, WSNativePubSub } from '@honokit/ws-core/adapter'
import type { SocketAttachment } from './attachment.ts'
import type { CloudflareWebSocketLike, DurableObjectStateLike } from './cloudflare-like.ts'

type Socket = CloudflareWebSocketLike

/** What the topics need of one socket the helper knows. */
interface TopicEntry {
  attachment: SocketAttachment
  conn: { ws: WSContext<Socket> }
}

/**
 * Pub/sub for a Durable Object: topics live in each socket's attachment, so membership survives hibernation (tags
 * cannot change after `acceptWebSocket`; the attachment can), and the upgrade's tags count as topics too.
 */
export function durableTopics<E extends TopicEntry>(o: {
  ctx: DurableObjectStateLike
  isOpen(ws: Socket): boolean
  entryOf(member: HubMember): E | undefined
  restore(ws: Socket): E | undefined
  save(ws: Socket, entry: E): void
}): WSNativePubSub {
  return {
    subscribe(member, topic) {
      const entry = o.entryOf(member)
      if (!entry || entry.attachment.t.includes(topic)) return
      entry.attachment.t.push(topic)
      o.save(member.ws.raw as Socket, entry)
    },
    unsubscribe(member, topic) {
      const entry = o.entryOf(member)
      if (!entry) return
      entry.attachment.t = entry.attachment.t.filter((t) => t !== topic)
      o.save(member.ws.raw as Socket, entry)
    },
    publish(topic, payload, from) {
      for (const ws of o.ctx.getWebSockets()) {
        if (!o.isOpen(ws)) continue
        const entry = o.restore(ws)
        if (!entry || entry.conn.ws === from?.ws) continue
        if (entry.attachment.t.includes(topic) || o.ctx.getTags?.(ws).includes(topic))
          entry.conn.ws.send(payload)
      }
    },
  }
}
