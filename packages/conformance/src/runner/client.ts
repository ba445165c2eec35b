import { randomBytes } from 'node:crypto'
import { connect as netConnect, type Socket } from 'node:net'
import WebSocket from 'ws'

/** A message as the client received it. */
export interface Received {
  data: Buffer
  isBinary: boolean
  text: string
}

/**
 * What scenarios do with a client's socket: the part of a `ws` client that every transport offers (a real socket,
 * or an in-memory pair).
 */
export interface ClientSocket {
  send(data: string | Buffer | ArrayBuffer | ArrayBufferView): void
  close(code?: number, reason?: string): void
  /** Drops the connection without a closing handshake. */
  terminate(): void
  /** Stops reading (the server's send buffer fills), until `resume()`. */
  pause(): void
  resume(): void
}

/** Options of a client connection. */
export interface ConnectOptions {
  protocols?: string[]
  headers?: Record<string, string>
  perMessageDeflate?: boolean
  /** Answer the server's pings (default true); false plays a peer that went silent. */
  autoPong?: boolean
}

/** A client with awaitable messages and close, over a socket of type `S` (a `ws` client for real sockets). */
export interface Client<S extends ClientSocket = ClientSocket> {
  ws: S
  /** The subprotocol the client saw negotiated. */
  protocol: string
  /** Resolves with the next message (or rejects after `ms`). */
  next(ms?: number): Promise<Received>
  /** Resolves once `n` messages arrived, with all of them. */
  take(n: number, ms?: number): Promise<Received[]>
  /** Removes and returns the messages received but not yet taken. */
  drain(): Received[]
  /** Resolves with the close code and reason the client saw. */
  closed: Promise<{ code: number; reason: string }>
}

/**
 * Rejects with a message naming what was awaited if `promise` takes longer than `ms`. `what` may be a function, read
 * when the time is up, so the message tells what had arrived by then.
 */
export function within<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const text = typeof what === 'function' ? what() : what
        reject(new Error(`timed out after ${ms} ms waiting for ${text}`))
      }, ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** A short description of received messages, for failure messages. */
export function describeReceived(messages: Received[]): string {
  if (messages.length === 0) return 'none'
  const shown = messages
    .slice(-3)
    .map((m) => (m.isBinary ? `<${m.data.length} bytes>` : JSON.stringify(m.text.slice(0, 60))))
  return `${messages.length}, the last: ${shown.join(', ')}`
}

/** Opens a client connection; rejects with the server's status and body when the handshake is refused. */
export function connect(url: string, options: ConnectOptions = {}): Promise<Client<WebSocket>> {
  const clientOptions = {
    headers: options.headers,
    autoPong: options.autoPong ?? true,
    perMessageDeflate: options.perMessageDeflate ?? false,
    // Once Close frames went both ways, stop waiting for the server to end TCP after 2 s (RFC 6455 §7.1.1 lets a
    // client close it itself). Whether the server ends it promptly is its own scenario (CL12). The option exists in
    // ws 8.23; @types/ws 8.18 does not list it yet.
    closeTimeout: 2000,
  }
  const ws = new WebSocket(url, options.protocols ?? [], clientOptions as WebSocket.ClientOptions)
  const inbox: Received[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    inbox.push({ data, isBinary, text: isBinary ? '' : data.toString('utf8') })
    for (const w of waiters.splice(0)) w()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }))
  })
  const take = async (n: number, ms = 5000): Promise<Received[]> => {
    await within(
      (async () => {
        while (inbox.length < n) await new Promise<void>((r) => waiters.push(r))
      })(),
      ms,
      () => `${n} message(s) (received: ${describeReceived(inbox)})`
    )
    return inbox.splice(0, n)
  }
  return new Promise<Client<WebSocket>>((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        protocol: ws.protocol,
        next: async (ms) => (await take(1, ms))[0]!,
        take,
        drain: () => inbox.splice(0),
        closed,
      })
    )
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString('utf8')))
      res.on('end', () => reject(new HandshakeRefused(res.statusCode ?? 0, res.headers, body)))
    })
    ws.once('error', (e) => reject(e))
  })
}

/** A refused handshake: the status, headers and body the client received instead of a 101. */
export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly body: string
  ) {
    super(`handshake refused with ${status}: ${body.slice(0, 200)}`)
  }
}

/** A raw HTTP response head (and any body bytes) read from a plain TCP socket. */
export interface RawResponse {
  status: number
  statusLine: string
  /** Header lines as [lower-case name, value], repeated headers repeated. */
  headers: [string, string][]
  body: Buffer
  socket: Socket
}

/** A fresh, valid `Sec-WebSocket-Key`. */
export function makeKey(): string {
  return randomBytes(16).toString('base64')
}

/** The first value of header `name` in a raw response. */
export function header(res: RawResponse, name: string): string | undefined {
  return res.headers.find(([n]) => n === name)?.[1]
}

/**
 * Sends `request` (a complete HTTP head, plus optional bytes after it) over TCP and reads the response head; for a
 * non-101 answer it also reads the body (by Content-Length, chunks, or until the server closes). The socket is left
 * open; the caller destroys it.
 */
export function rawRequest(port: number, request: string | Buffer, ms = 5000): Promise<RawResponse> {
  return within(
    new Promise<RawResponse>((resolve, reject) => {
      const socket = netConnect(port, '127.0.0.1')
      let buf = Buffer.alloc(0)
      let head: Omit<RawResponse, 'body' | 'socket'> | undefined
      socket.on('error', reject)
      socket.on('connect', () => socket.write(request))
      /** Resolves once a non-101 body is complete: by Content-Length, by the last chunk, or by the server closing. */
      const bodyDone = () => {
        if (!head) return false
        const length = head.headers.find(([n]) => n === 'content-length')?.[1]
        if (length !== undefined) return buf.length >= Number(length)
        if (head.headers.some(([n, v]) => n === 'transfer-encoding' && /chunked/i.test(v)))
          return buf.includes('0\r\n\r\n')
        return false
      }
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk])
        if (!head) {
          const end = buf.indexOf('\r\n\r\n')
          if (end < 0) return
          const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
          const statusLine = lines[0] ?? ''
          head = {
            statusLine,
            status: Number(statusLine.split(' ')[1]),
            headers: lines.slice(1).map((l) => {
              const i = l.indexOf(':')
              return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] as [string, string]
            }),
          }
          buf = buf.subarray(end + 4)
          if (head.status === 101) {
            socket.removeAllListeners('data')
            resolve({ ...head, body: buf, socket })
            return
          }
        }
        if (bodyDone()) resolve({ ...head, body: buf, socket })
      })
      socket.on('end', () => {
        if (head) resolve({ ...head, body: buf, socket })
        else reject(new Error(`connection closed before a response head (${buf.length} bytes)`))
      })
    }),
    ms,
    'a raw HTTP response'
  )
}

/** A GET upgrade request head for `path`, with `headers` replacing or adding to the standard ones. */
export function upgradeRequest(
  port: number,
  path: string,
  headers: Record<string, string | undefined> = {}
): string {
  const all: Record<string, string | undefined> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': makeKey(),
    'Sec-WebSocket-Version': '13',
    ...headers,
  }
  const lines = Object.entries(all)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`
}

/** A masked client frame (FIN set) with `opcode` and `payload`, as a client must send it. */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4)
  const len = payload.length
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, 0x80 | len])
      : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255])
  const body = Buffer.from(payload)
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!
  return Buffer.concat([head, mask, body])
}

/** Reads unmasked server frames from raw bytes: complete frames and the rest. */
export function parseServerFrames(buf: Buffer): {
  frames: { opcode: number; payload: Buffer }[]
  rest: Buffer
} {
  const frames: { opcode: number; payload: Buffer }[] = []
  let off = 0
  while (buf.length - off >= 2) {
    const opcode = buf[off]! & 0x0f
    let len = buf[off + 1]! & 0x7f
    let p = off + 2
    if (len === 126) {
      if (buf.length - off < 4) break
      len = buf.readUInt16BE(off + 2)
      p = off + 4
    } else if (len === 127) {
      if (buf.length - off < 10) break
      len = Number(buf.readBigUInt64BE(off + 2))
      p = off + 10
    }
    if (buf.length < p + len) break
    frames.push({ opcode, payload: buf.subarray(p, p + len) })
    off = p + len
  }
  return { frames, rest: buf.subarray(off) }
}
