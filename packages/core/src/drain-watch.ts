/**
 * Watches one connection's send buffer fall to its drain threshold (or the connection close): resolves the waiters
 * of `ws.drained()`, then runs `onDrained` (the connection schedules `onDrain`). Made when a send first passes the
 * threshold, so an idle connection carries none; watches again whenever a send passes it again.
 */
export class DrainWatch {
  readonly #waiters: (() => void)[] = []
  #poll: ReturnType<typeof setInterval> | undefined = undefined

  /**
   * @param drained whether the buffer is at or under the threshold, or the connection closed
   * @param onDrained called after the waiters each time a watch ends
   */
  constructor(
    readonly drained: () => boolean,
    readonly onDrained: () => void
  ) {}

  /** Whether a watch is under way. */
  get watching(): boolean {
    return this.#poll !== undefined
  }

  /** Starts a watch unless one is under way, and adds `done` to its waiters. */
  watch(done?: () => void): void {
    if (done) this.#waiters.push(done)
    // Runtimes without a drain event (Deno) are polled; the others also report their drain, which calls check().
    this.#poll ??= setInterval(() => this.check(), 25)
  }

  /** Ends the watch under way if the buffer has drained: stops polling, resolves the waiters, calls `onDrained`. */
  check(): void {
    if (this.#poll === undefined || !this.drained()) return
    clearInterval(this.#poll)
    this.#poll = undefined
    for (const done of this.#waiters.splice(0)) done()
    this.onDrained()
  }
}
