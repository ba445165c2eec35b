/**
 * The fields in which a connection keeps its position in the hub's and the heartbeat's `MemberList` (-1 while it is
 * in none). Symbols: the connection is the application's `WSContext`, which shows no fields of core's.
 */
export const HUB_INDEX: unique symbol = Symbol('honokit.hubIndex')
export const HB_INDEX: unique symbol = Symbol('honokit.hbIndex')
export type MemberIndexKey = typeof HUB_INDEX | typeof HB_INDEX

/**
 * A set of connections kept in an array, each member holding its own position in one of its fields: joining and
 * leaving allocate nothing per member (a `Set` entry costs a connection about 50 to 90 bytes in JavaScriptCore,
 * measured on Bun 1.4). Removal moves the last member into the hole, so the order is not kept.
 */
export class MemberList<M extends { [K in MemberIndexKey]?: number }> {
  /** The members, in no particular order; copy before iterating when the loop may remove members. */
  readonly items: M[] = []
  readonly #key: MemberIndexKey

  constructor(key: MemberIndexKey) {
    this.#key = key
  }

  get size(): number {
    return this.items.length
  }

  has(m: M): boolean {
    const i = m[this.#key]
    return i !== undefined && i >= 0 && this.items[i] === m
  }

  add(m: M): void {
    if (this.has(m)) return
    m[this.#key] = this.items.length
    this.items.push(m)
  }

  /** Removes `m`; false when it was not a member. */
  delete(m: M): boolean {
    if (!this.has(m)) return false
    const i = m[this.#key]!
    const last = this.items.pop()!
    if (last !== m) {
      this.items[i] = last
      last[this.#key] = i
    }
    m[this.#key] = -1
    return true
  }
}
