import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

/** What to do with the app's answer to an upgrade request: write it to the socket, or drop it (upgraded, or not ours). */
export type UpgradeDecision = 'answer' | 'drop'

type HeaderInput = OutgoingHttpHeaders | readonly (string | number | readonly string[])[] | undefined

/** The headers of a `writeHead` call (those set before with `setHeader` included) as fetch `Headers`. */
function collectHeaders(set: OutgoingHttpHeaders, given: HeaderInput): Headers {
  const headers = new Headers()
  const add = (name: string, value: unknown) => {
    if (value === undefined) return
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v))
  }
  for (const [name, value] of Object.entries(set)) add(name, value)
  if (Array.isArray(given)) {
    // writeHead accepts [name, value] pairs or one flat [name, value, name, value] list.
    if (Array.isArray(given[0])) for (const [name, value] of given as string[][]) add(name!, value)
    else for (let i = 0; i + 1 < given.length; i += 2) add(String(given[i]), given[i + 1])
  } else if (given) for (const [name, value] of Object.entries(given)) add(name, value)
  return headers
}

/**
 * The `ServerResponse` an upgrade request is dispatched with through the server's own request listener, so it meets
 * the same `fetch` (and env wrapper) as every other request. When the head is written, `decide` sees the app's status
 * and headers: an answer (a 401, a page) is written to the raw socket as a complete HTTP response and the socket is
 * closed after it; an accepted upgrade or a socket that another listener owns gets nothing from this response.
 */
export class UpgradeResponse extends ServerResponse {
  #socket: Duplex
  #decide: (status: number, headers: Headers) => UpgradeDecision
  #dropped = false

  constructor(
    req: IncomingMessage,
    socket: Duplex,
    decide: (status: number, headers: Headers) => UpgradeDecision
  ) {
    super(req)
    this.#socket = socket
    this.#decide = decide
    // The connection ends after an answer: the upgrade socket has left Node's HTTP parser and takes no next request.
    this.shouldKeepAlive = false
  }

  override writeHead(statusCode: number, ...rest: any[]): this {
    if (this.#dropped) return this
    if (this.socket) return (super.writeHead as (...a: unknown[]) => this)(statusCode, ...rest)
    const given = (typeof rest[0] === 'string' ? rest[1] : rest[0]) as HeaderInput
    if (this.#decide(statusCode, collectHeaders(this.getHeaders(), given)) === 'drop') {
      this.#dropped = true
      return this
    }
    const socket = this.#socket as Socket
    this.assignSocket(socket)
    // Ends the socket once the whole answer is handed over; destroying at once could cut a large body (RUNTIME-NOTES N16).
    this.once('finish', () => {
      this.detachSocket(socket)
      socket.once('finish', () => socket.destroy())
      socket.end()
    })
    return (super.writeHead as (...a: unknown[]) => this)(statusCode, ...rest)
  }

  override write(...args: any[]): boolean {
    if (this.#dropped) return true
    return (super.write as (...a: unknown[]) => boolean)(...args)
  }

  override end(...args: any[]): this {
    if (!this.#dropped) return (super.end as (...a: unknown[]) => this)(...args)
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined
    callback?.()
    return this
  }

  override flushHeaders(): void {
    if (!this.#dropped) super.flushHeaders()
  }
}
