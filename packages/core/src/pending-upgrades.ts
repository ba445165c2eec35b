import type { WSUpgradeInfo } from './types.ts'

/**
 * Carries accepted upgrades from the app's handler to the runtime's `open` callback, for runtimes that complete the
 * upgrade themselves after the handler returned (Bun's `server.upgrade`, uWebSockets.js, Node's `upgrade` event).
 * Keyed by an object the runtime hands back in `open` (Bun's `data`, the `IncomingMessage`); nothing is kept once
 * taken, and an upgrade the runtime never opens is collected with its key.
 */
export class PendingUpgrades<K extends object, U extends WSUpgradeInfo = WSUpgradeInfo> {
  readonly #pending = new WeakMap<K, U>()

  /** Keeps `upgrade` until `take(key)`. */
  hold(key: K, upgrade: U): void {
    this.#pending.set(key, upgrade)
  }

  /** The upgrade held for `key`, once; `undefined` when none (a socket this helper did not accept). */
  take(key: K): U | undefined {
    const upgrade = this.#pending.get(key)
    if (upgrade) this.#pending.delete(key)
    return upgrade
  }
}

/**
 * The error for an upgrade request that reached `upgradeWebSocket` without the runtime wiring that completes it
 * (e.g. a Bun server started without `websocket`, a Node server without the adapter's upgrade listener): names the package and
 * the fix.
 */
export function notWiredError(packageName: string, fix: string, cause?: unknown): Error {
  return new Error(
    `upgradeWebSocket() from ${packageName} received a WebSocket upgrade request that it cannot complete: ${fix}`,
    cause === undefined ? undefined : { cause }
  )
}
