import { CAUSE_CODES, CAUSE_REASONS, reportedClose } from './close-code.ts'
import { ConnectionBase } from './connection-base.ts'
import type { ConnectionPlan } from './connection-plan.ts'
import {
  CHECK_DRAIN,
  CLOSE_REQUESTED,
  CLOSED,
  CONNECTING,
  DELIVER,
  EVENTS,
  FLAGS,
  OPEN,
  PEER_FAULT,
  PLAN,
  REPORT,
  RUN,
  STATE,
  UNCOMMON,
} from './connection-state.ts'
import type { ConnectionSetup, WSCloseCause, WSConnection } from './connection-types.ts'
import { rawOf, type WSContext } from './context.ts'
import type { ContextSide } from './context-view.ts'
import type { HandlerOwner } from './handler-call.ts'
import { HB_DUE, type HeartbeatMember } from './heartbeat.ts'
import { requireHub } from './hub.ts'
import type { HubMember } from './hub-types.ts'
import type { WSEvents, WSSendData } from './types.ts'

/**
 * One connection, in one object: the `WSContext` its handlers receive (its own `ContextSide`), the adapter's handle
 * (`WSConnection`), and the hub's and the heartbeat's member. Idle, it costs core this object alone: 112 bytes in
 * JavaScriptCore, 128 in V8 (bench/README.md). Its state and message path are `ConnectionBase`'s (connection-base.ts);
 * this class adds its life: open, the close reports, the heartbeat's and the hub's side. The handle's methods are not
 * in `WSContext`'s type.
 */
export class Connection<T>
  extends ConnectionBase<T>
  implements WSConnection<T>, ContextSide, HeartbeatMember, HubMember, HandlerOwner
{
  constructor(events: WSEvents<T>, plan: ConnectionPlan<T>, setup: ConnectionSetup<T>) {
    super(events, plan, setup)
    // The hub and the route count a connection from the moment the runtime accepted it, so capacity checks and a
    // shutdown that race its onOpen still see it.
    plan.hub?.add(this)
    if (plan.route) plan.route.open++
    plan.heartbeat?.add(this)
  }

  /** The context handlers receive: the connection itself (for adapters and the hub, `WSConnection.ws`). */
  get ws(): WSContext<T> {
    return this
  }

  get #state(): number {
    return this[FLAGS] & STATE
  }
  #setState(state: typeof CONNECTING | typeof OPEN | typeof CLOSED): void {
    this[FLAGS] = (this[FLAGS] & ~STATE) | state
  }

  // ── the heartbeat's side ──

  hbPing(): boolean {
    if (this.#state === CLOSED || (this[FLAGS] & CLOSE_REQUESTED) !== 0) return false
    this[PLAN].transport.ping!(rawOf(this))
    return true
  }

  hbTerminate(): void {
    this.abort('The peer did not answer pings')
  }

  // ── the context's side: topics ──

  subscribeTo(topic: string): void {
    requireHub(this.hub).subscribe(this, topic)
  }

  unsubscribeFrom(topic: string): void {
    requireHub(this.hub).unsubscribe(this, topic)
  }

  subscribedTo(topic: string): boolean {
    return this.hub?.isSubscribed(this, topic) ?? false
  }

  publishTo(topic: string, data: WSSendData): void {
    requireHub(this.hub).publishFrom(this, topic, data)
  }

  // ── the hub's side ──

  abort(reason: string): void {
    try {
      this[PLAN].transport.terminate?.(rawOf(this))
    } catch {
      // already gone
    }
    this.#finish(1006, reason, false)
  }

  // ── the adapter's side ──

  open(): void {
    if (this.#state !== CONNECTING) return
    this.#setState(OPEN)
    this[RUN]('onOpen', this[EVENTS].onOpen, { type: 'open' })
    const uncommon = this[UNCOMMON]
    const queued = uncommon?.pending
    if (queued) uncommon.pending = undefined
    if (queued) for (const data of queued) if ((this[FLAGS] & STATE) === OPEN) this[DELIVER](data)
  }

  closed(rawCode: number, reason: string, wasClean?: boolean): Promise<void> | undefined {
    if (this.#state === CLOSED) return undefined
    const sent = this[UNCOMMON]?.sentClose
    const peerFault = (this[FLAGS] & PEER_FAULT) !== 0
    return this.#finish(...reportedClose(rawCode, reason, wasClean, sent, peerFault))
  }

  closedBy(cause: WSCloseCause, reason?: string): Promise<void> | undefined {
    // The runtime failed the connection itself: no closing handshake completed.
    return this.#finish(CAUSE_CODES[cause], reason || CAUSE_REASONS[cause], false)
  }

  #finish(code: number, reason: string, wasClean: boolean): Promise<void> | undefined {
    if (this.#state === CLOSED) return undefined
    // A socket the runtime accepted always gets the pair onOpen/onClose, so setup in onOpen is always undone.
    if (this.#state === CONNECTING) this.open()
    this.#setState(CLOSED)
    const plan = this[PLAN]
    plan.heartbeat?.remove(this)
    plan.hub?.remove(this)
    if (plan.route) plan.route.open--
    this[CHECK_DRAIN]()
    return this[RUN]('onClose', this[EVENTS].onClose, {
      type: 'close',
      code,
      reason: reason ?? '',
      wasClean,
    })
  }

  error(error: unknown): void {
    if (this.#state !== CLOSED) this[REPORT](error, 'the runtime socket')
  }

  pong(): void {
    if (this[HB_DUE] < 0) this[PLAN].heartbeat?.alive(this)
  }

  drain(): void {
    this[CHECK_DRAIN]()
  }
}
