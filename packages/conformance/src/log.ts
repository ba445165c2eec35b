/** One thing the fixture saw on the server side, recorded under a connection id the client chose. */
export type LogEntry = { event: string } & Record<string, unknown>

/** The fixture's in-memory record of server-side events, read back by the runner over HTTP. */
export class EventLog {
  #entries = new Map<string, LogEntry[]>()

  /** Appends an entry for connection `id`. */
  add(id: string, entry: LogEntry): void {
    const list = this.#entries.get(id)
    if (list) list.push(entry)
    else this.#entries.set(id, [entry])
  }

  /** The entries of connection `id`, oldest first. */
  get(id: string): LogEntry[] {
    return this.#entries.get(id) ?? []
  }
}
