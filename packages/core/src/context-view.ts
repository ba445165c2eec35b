import type { SendOptions, WSContextInit, WSReadyState, WSSendData } from './types.ts'

/**
 * What a `WSContext` drives. Core's `Connection` is a `WSContext` that is its own side (a connection is one object);
 * for `new WSContext(init)`, `InitSide` makes one of the `WSContextInit`. Not part of the context's public type.
 */
export interface ContextSide {
  contextReadyState(): WSReadyState
  /** Sends when `contextReadyState()` is 1 (open); does nothing otherwise. */
  sendIfOpen(data: string | Uint8Array, options: SendOptions): void
  requestClose(code: number, reason: string): void
  buffered(): number
  whenDrained(): Promise<void>
  subscribeTo(topic: string): void
  unsubscribeFrom(topic: string): void
  subscribedTo(topic: string): boolean
  publishTo(topic: string, data: WSSendData): void
}

/** The methods of `ContextSide`, which `WSContext`'s prototype passes on to an `InitSide`. */
export const SIDE_METHODS = [
  'contextReadyState',
  'sendIfOpen',
  'requestClose',
  'buffered',
  'whenDrained',
  'subscribeTo',
  'unsubscribeFrom',
  'subscribedTo',
  'publishTo',
] as const satisfies readonly (keyof ContextSide)[]

/** A `WSContextInit` seen as a context's side: for contexts an adapter makes itself with `new WSContext(init)`. */
export class InitSide<T> implements ContextSide {
  readonly #init: WSContextInit<T>

  constructor(init: WSContextInit<T>) {
    this.#init = init
  }

  contextReadyState(): WSReadyState {
    return this.#init.readyState
  }
  sendIfOpen(data: string | Uint8Array, options: SendOptions): void {
    if (this.#init.readyState === 1) this.#init.send(data, options)
  }
  requestClose(code: number, reason: string): void {
    this.#init.close(code, reason)
  }
  buffered(): number {
    return this.#init.bufferedAmount?.() ?? 0
  }
  whenDrained(): Promise<void> {
    return this.#init.drained?.() ?? Promise.resolve()
  }
  subscribeTo(topic: string): void {
    this.#need('subscribe').subscribe!(topic)
  }
  unsubscribeFrom(topic: string): void {
    this.#need('unsubscribe').unsubscribe!(topic)
  }
  subscribedTo(topic: string): boolean {
    return this.#init.isSubscribed?.(topic) ?? false
  }
  publishTo(topic: string, data: WSSendData): void {
    this.#need('publish').publish!(topic, data)
  }

  #need(what: 'subscribe' | 'unsubscribe' | 'publish'): WSContextInit<T> {
    if (!this.#init[what]) {
      throw new Error(
        `ws.${what}() needs pub/sub, which this adapter's WSContext was not given (see createConnection).`
      )
    }
    return this.#init
  }
}
