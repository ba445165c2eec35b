import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import { type RawResponse, rawRequest, upgradeRequest, within } from './client.ts'

/** Opcodes of RFC 6455 §5.2. */
export const OP = { cont: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

/** One frame as the server sent it. */
export interface WireFrame {
  fin: boolean
  /** The three reserved bits as a number: RSV1 is 4, RSV2 is 2, RSV3 is 1. */
  rsv: number
  opcode: number
  masked: boolean
  payload: Buffer
}

/** A frame the client sends: FIN set, no reserved bits and masked unless told otherwise. */
export interface FrameSpec {
  opcode: number
  payload?: Buffer | string
  fin?: boolean
  rsv?: number
  /** Masked by default, as RFC 6455 §5.3 requires of a client. */
  mask?: boolean
}

/** Builds the bytes of one client frame from `spec` (hand-built, so it may break any rule on purpose). */
export function frame(spec: FrameSpec): Buffer {
  const payload =
    typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0))
  const masked = spec.mask ?? true
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f)
  const len = payload.length
  let head: Buffer
  if (len < 126) head = Buffer.from([first, (masked ? 0x80 : 0) | len])
  else if (len < 65536) {
    head = Buffer.alloc(4)
    head[0] = first
    head[1] = (masked ? 0x80 : 0) | 126
    head.writeUInt16BE(len, 2)
  } else {
    head = Buffer.alloc(10)
    head[0] = first
    head[1] = (masked ? 0x80 : 0) | 127
    head.writeBigUInt64BE(BigInt(len), 2)
  }
  if (!masked) return Buffer.concat([head, payload])
  const key = randomBytes(4)
  const body = Buffer.allocUnsafe(len)
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ key[i & 3]!
  return Buffer.concat([head, key, body])
}

/** The body of a Close frame: a 2-byte code and a reason (string as UTF-8, or raw bytes). */
export function closeBody(code: number, reason: string | Buffer = ''): Buffer {
  const head = Buffer.alloc(2)
  head.writeUInt16BE(code, 0)
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason) : reason])
}

/** Reads every complete server frame from `buf`; returns them and the bytes of an incomplete one. */
export function parseFrames(buf: Buffer): { frames: WireFrame[]; rest: Buffer } {
  const frames: WireFrame[] = []
  let off = 0
  while (buf.length - off >= 2) {
    const b0 = buf[off]!
    const b1 = buf[off + 1]!
    const masked = (b1 & 0x80) !== 0
    let len = b1 & 0x7f
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
    const keyAt = p
    if (masked) p += 4
    if (buf.length < p + len) break
    let payload = buf.subarray(p, p + len)
    if (masked) {
      const key = buf.subarray(keyAt, keyAt + 4)
      payload = Buffer.from(payload.map((b, i) => b ^ key[i & 3]!))
    }
    frames.push({ fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, masked, payload })
    off = p + len
  }
  return { frames, rest: buf.subarray(off) }
}

/** The code and reason of a Close frame's body (code 1005 for an empty body, as RFC 6455 §7.1.5 reports it). */
export function readClose(payload: Buffer): { code: number; reason: string } {
  if (payload.length < 2) return { code: 1005, reason: '' }
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') }
}

const NAMES: Record<number, string> = { 0: 'cont', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' }

/** A short description of frames, for failure messages. */
export function describeFrames(frames: WireFrame[]): string {
  if (frames.length === 0) return 'no frames'
  return frames
    .slice(-6)
    .map((f) => {
      const name = NAMES[f.opcode] ?? `op${f.opcode}`
      const rsv = f.rsv ? ` rsv=${f.rsv}` : ''
      if (f.opcode === OP.close) {
        const { code, reason } = readClose(f.payload)
        return `close(${f.payload.length ? `${code}${reason ? ` ${JSON.stringify(reason.slice(0, 40))}` : ''}` : 'empty'})`
      }
      if (f.opcode === OP.text && f.payload.length <= 40)
        return `${name}${rsv} ${JSON.stringify(f.payload.toString())}`
      return `${name}${rsv} <${f.payload.length} bytes>`
    })
    .join(', ')
}

/** What a raw connection ended with, within a bounded wait. */
export interface RawOutcome {
  /** The server's first Close frame, if one arrived. */
  close?: { code: number; reason: string; length: number }
  /** The server ended (or reset) the TCP connection. */
  ended: boolean
  /** Every frame that arrived, in order. */
  frames: WireFrame[]
}

/**
 * A WebSocket client over a plain TCP socket: sends frames built by hand and records every frame the server sends,
 * and when the server ends TCP. By default it answers the server's Close frame with a Close frame of the same code,
 * as a peer must (RFC 6455 §5.5.1), and then ends TCP itself once the server has not within 2 s (§7.1.1).
 */
export class RawSocket {
  readonly frames: WireFrame[] = []
  ended = false
  /** The 101's header lines, [lower-case name, value]. */
  readonly headers: [string, string][]
  #buf: Buffer
  #waiters: (() => void)[] = []
  #answered = false
  #answerClose: boolean

  private constructor(
    readonly socket: Socket,
    res: RawResponse,
    answerClose: boolean
  ) {
    this.headers = res.headers
    this.#buf = res.body
    this.#answerClose = answerClose
    socket.on('data', (chunk: Buffer) => this.#read(chunk))
    const end = () => {
      this.ended = true
      this.#wake()
    }
    socket.on('end', end)
    socket.on('close', end)
    socket.on('error', end)
    this.#read(Buffer.alloc(0))
  }

  /**
   * Opens `path` with a hand-written upgrade request (extra `headers` replace or add). Rejects unless the server
   * answers 101. `answerClose: false` makes the client never answer the server's Close frame.
   */
  static async open(
    port: number,
    path: string,
    options: { headers?: Record<string, string | undefined>; answerClose?: boolean } = {}
  ): Promise<RawSocket> {
    const res = await rawRequest(port, upgradeRequest(port, path, options.headers))
    if (res.status !== 101) {
      res.socket.destroy()
      throw new Error(
        `expected a 101 for ${path}, got ${res.statusLine}: ${res.body.toString().slice(0, 200)}`
      )
    }
    return new RawSocket(res.socket, res, options.answerClose ?? true)
  }

  /** The value of a 101 header. */
  header(name: string): string | undefined {
    return this.headers.find(([n]) => n === name)?.[1]
  }

  /** Sends frames (each a spec or ready bytes) in one write. */
  send(...parts: (FrameSpec | Buffer)[]): void {
    if (this.socket.destroyed) return
    // A client that sent its own Close does not answer the server's (that Close is the answer).
    if (parts.some((p) => (Buffer.isBuffer(p) ? (p[0]! & 0x0f) === OP.close : p.opcode === OP.close)))
      this.#answered = true
    this.socket.write(Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : frame(p)))))
  }

  /** Sends frames in separate writes, each after the previous was flushed. */
  async sendEach(...parts: (FrameSpec | Buffer)[]): Promise<void> {
    for (const p of parts) {
      if (this.socket.destroyed) return
      if ((Buffer.isBuffer(p) ? p[0]! & 0x0f : p.opcode) === OP.close) this.#answered = true
      await new Promise<void>((r) => this.socket.write(Buffer.isBuffer(p) ? p : frame(p), () => r()))
    }
  }

  /** The first Close frame the server sent, if any. */
  get closeFrame(): RawOutcome['close'] {
    const f = this.frames.find((x) => x.opcode === OP.close)
    return f ? { ...readClose(f.payload), length: f.payload.length } : undefined
  }

  /** Frames other than Close. */
  dataFrames(): WireFrame[] {
    return this.frames.filter((f) => f.opcode !== OP.close)
  }

  /** What arrived so far, for failure messages. */
  describe(): string {
    return `${describeFrames(this.frames)}; TCP ${this.ended ? 'ended' : 'open'}`
  }

  /** Waits until `done()` holds; rejects after `ms` saying what it waited for and what had arrived. */
  async until(done: () => boolean, ms: number, what: string): Promise<void> {
    await within(
      (async () => {
        while (!done()) await new Promise<void>((r) => this.#waiters.push(r))
      })(),
      ms,
      () => `${what} (received: ${this.describe()})`
    )
  }

  /** Waits for `n` frames of `opcode` in total; returns them. */
  async take(opcode: number, n = 1, ms = 5000): Promise<WireFrame[]> {
    const of = () => this.frames.filter((f) => f.opcode === opcode)
    await this.until(() => of().length >= n || this.ended, ms, `${n} ${NAMES[opcode] ?? opcode} frame(s)`)
    const got = of()
    if (got.length < n)
      throw new Error(`the server ended TCP before ${n} ${NAMES[opcode]} frame(s): ${this.describe()}`)
    return got.slice(0, n)
  }

  /**
   * Waits until the connection is over: TCP ended by the server, or (with a Close frame received and answered) the
   * client's own 2 s grace after which it ends TCP itself. Never rejects: the outcome says what happened.
   */
  async outcome(ms = 5000): Promise<RawOutcome> {
    try {
      await this.until(
        () => this.ended || this.closeFrame !== undefined,
        ms,
        'a Close frame or the end of TCP'
      )
      if (!this.ended) await this.until(() => this.ended, 2000, 'the end of TCP').catch(() => undefined)
    } catch {
      // Bounded: the outcome below says what arrived.
    }
    this.destroy()
    return { close: this.closeFrame, ended: this.ended, frames: [...this.frames] }
  }

  /** Ends the TCP connection at once, without a Close frame. */
  destroy(): void {
    this.socket.destroy()
  }

  #read(chunk: Buffer): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk
    const { frames, rest } = parseFrames(this.#buf)
    this.#buf = rest
    for (const f of frames) {
      this.frames.push(f)
      if (f.opcode === OP.close && this.#answerClose && !this.#answered) {
        this.#answered = true
        // Echo the code as RFC 6455 §5.5.1 asks; an empty or invalid body is answered with an empty Close.
        const body = f.payload.length >= 2 ? f.payload.subarray(0, 2) : Buffer.alloc(0)
        this.send({ opcode: OP.close, payload: body })
      }
    }
    if (frames.length) this.#wake()
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w()
  }
}
