// The hub's types: what a helper instance offers adapters and connections, and what it needs from them.
import type { WSBroker } from './broker.ts'
import type { WSTransport } from './connection-types.ts'
import type { WSContext } from './context.ts'
import type { HUB_INDEX } from './member-list.ts'
import type { ResolvedLimits, WSLimits } from './options.ts'
import type { PublishFrame } from './publish-frame.ts'
import type { WSRefusal } from './refusal.ts'
import type { WSLogger } from './refusal-log.ts'
import type { WSSendData } from './types.ts'

/** Options of a helper instance: the limits for all its routes, and the broker that carries publishes further. */
export interface WSHubOptions extends WSLimits {
  /** Carries publishes to other helper instances (other processes); default none: publishes stay local. */
  broker?: WSBroker
  /**
   * Where the library's lines go (refused upgrades, setting warnings, errors no handler took): default `console`;
   * `false` for none. Refusals are rate-limited: the same one once a minute, at most 100 lines a minute.
   */
  logger?: WSLogger | false
  /** Called for every refused upgrade (403, 503, 400, 426), not rate-limited: for metrics or your own log. */
  onRefusal?: (refusal: WSRefusal) => void
  /**
   * Negotiate permessage-deflate (RFC 7692) with clients that offer it. Default `false`: compression costs memory
   * on every connection that negotiates it (see the core README). When negotiated, a message is compressed when
   * sent with `ws.send(data, { compress: true })`; without the extension `compress` changes nothing.
   */
  perMessageDeflate?: boolean
}

/** What an adapter tells the hub about its runtime: different defaults, and settings it cannot honour (with why). */
export interface WSRuntimeLimits {
  defaults?: WSLimits
  unsupported?: Partial<Record<keyof WSLimits, string>>
  /** Set where one connection (or an HTTP route) may not send on another, with why: pub/sub and shutdown refuse. */
  isolatedConnections?: string
  /** How core drives this runtime's sockets, shared by every connection (`upgrade.connect(raw)` uses it). */
  transport?: WSTransport<any>
  /**
   * Maps route options the runtime names its own way onto the common ones (Deno's `protocol` → `protocols`), before
   * they are checked; it may warn through `logger`. Runs once per route (per call in the direct form).
   */
  routeOptions?(options: any, logger: WSLogger): any
  /** Option names the adapter reads itself, beside the common ones (checked for typos with the common ones). */
  optionNames?: { helper?: readonly string[]; route?: readonly string[] }
  /** Set where the runtime cannot negotiate permessage-deflate, with why: `perMessageDeflate: true` is refused. */
  noPerMessageDeflate?: string
}

/** A live, read-only view of a helper's open connections. */
export interface WSConnections extends Iterable<WSContext<any>> {
  readonly size: number
}

/** What the hub needs from a connection it tracks. */
export interface HubMember {
  ws: WSContext<any>
  /** Its position among the hub's members (kept by the hub; -1 when in none). */
  [HUB_INDEX]?: number
  /**
   * Sends an already-encoded payload, skipping per-send checks (a publish is encoded once for everyone), through the
   * publish's shared frame when given and its transport can (`WSTransport.frame`).
   */
  sendEncoded(payload: string | Uint8Array, shared?: PublishFrame): void
  /** Drops the connection now (when its closing handshake did not finish in time): `onClose` runs with 1006. */
  abort(reason: string): void
}

/** Pub/sub done natively by the runtime (Bun's `server.publish`), instead of the hub's own fan-out. */
export interface WSNativePubSub {
  subscribe(member: HubMember, topic: string): void
  unsubscribe(member: HubMember, topic: string): void
  /** Publishes to everyone subscribed, except `from` when given. */
  publish(topic: string, payload: string | Uint8Array, from?: HubMember): void
}

/**
 * The state of one helper instance: its open connections, their topics, the limits every route starts from,
 * server-side publish and graceful shutdown. Adapters create one per helper and hand it to core.
 */
export interface WSHub {
  readonly id: string
  readonly options: WSHubOptions
  readonly runtime: WSRuntimeLimits
  /** Open connections (count and iteration), live. */
  readonly connections: WSConnections
  /** True once `shutdown()` was called: new upgrades are refused with 503. */
  readonly closing: boolean
  /** Most open connections of this helper (its `maxConnections`, default 10,000). */
  readonly maxConnections: number
  /** The helper's limits resolved over the runtime's defaults: what every route starts from (routes may lower). */
  readonly limits: ResolvedLimits
  /**
   * The limits of a route with these options over the helper's: resolved once per options object and shared by the
   * route's connections (which only read them); the helper's own when `route` is undefined.
   */
  limitsFor(route: WSLimits | undefined): ResolvedLimits
  /** Where this helper's lines go (`options.logger`, default `console`). */
  readonly logger: WSLogger
  /** Reports a refused upgrade: to `onRefusal`, and to the logger within its rate limit. */
  refused(refusal: WSRefusal): void
  /** Sends `data` to every connection subscribed to `topic` (and to other instances through the broker). */
  publish(topic: string, data: WSSendData): void
  /**
   * Closes every open connection with 1001 (or `code`) and resolves once each `onClose` has run. A connection whose
   * closing handshake has not finished after `timeout` ms (default 10,000) is dropped, and its `onClose` runs (1006).
   */
  shutdown(options?: { code?: number; reason?: string; timeout?: number }): Promise<void>
  /** Lets the runtime do the fan-out (Bun). */
  useNativePubSub(native: WSNativePubSub): void
  /** Adapter-facing: connection bookkeeping. */
  add(member: HubMember): void
  remove(member: HubMember): void
  subscribe(member: HubMember, topic: string): void
  unsubscribe(member: HubMember, topic: string): void
  isSubscribed(member: HubMember, topic: string): boolean
  publishFrom(member: HubMember | undefined, topic: string, data: WSSendData): void
}
