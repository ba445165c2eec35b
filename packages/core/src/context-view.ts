import type { SendOptions, WSContextInit, WSReadyState, WSSendData } from './types.ts'

/**
 * What a `WSContext` drives: core's `Connection` is one itself (so a connection costs no object between the two), and
 * `InitSide` makes one of a `WSContextInit` for `new WSContext(init)`.
 */
export interface ContextSide {
  contextReadyState(): WSReadyState
  sendNow(data: string | Uint8Array, options: SendOptions): void
  requestClose(code: number, reason: string): void
  buffered(): number
  drained(): Promise<void>
  subscribeTo(topic: string): void
  unsubscribeFrom(topic: string): void
  subscribedTo(topic: string): boolean
  publishTo(topic: string, data: WSSendData): void
}

/** A `WSContextInit` seen as a context's side: for contexts an adapter makes itself with `new WSContext(init)`. */
export class InitSide<T> implements ContextSide {
  readonly #init: WSContextInit<T>

  constructor(init: WSContextInit<T>) {
    this.#init = init
  }

  contextReadyState(): WSReadyState {
    return this.#init.readyState
  }
  sendNow(data: string | Uint8Array, options: SendOptions): void {
    this.#init.send(data, options)
  }
  requestClose(code: number, reason: string): void {
    this.#init.close(code, reason)
  }
  buffered(): number {
    return this.#init.bufferedAmount?.() ?? 0
  }
  drained(): Promise<void> {
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
