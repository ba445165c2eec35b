// One raw WebSocket client connection of the load generator: a TCP socket from Bun.connect, the HTTP upgrade written
// by hand, client frames masked once up front and written in batches (the rest on drain), server frames parsed in place
// and checked against what was sent. The first failure is kept for the entry to report once the run is over.

/** A masked client text frame; the mask is applied here, once, so sending it later costs nothing but the write. */
export function maskedTextFrame(payload: Uint8Array): Uint8Array {
  const n = payload.length
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10
  const frame = new Uint8Array(head + 4 + n)
  frame[0] = 0x81
  if (n < 126) frame[1] = 0x80 | n
  else if (n < 65536) {
    frame[1] = 0x80 | 126
    frame[2] = n >> 8
    frame[3] = n & 0xff
  } else {
    frame[1] = 0x80 | 127
    new DataView(frame.buffer).setBigUint64(2, BigInt(n))
  }
  const mask = crypto.getRandomValues(new Uint8Array(4))
  frame.set(mask, head)
  for (let i = 0; i < n; i++) frame[head + 4 + i] = payload[i]! ^ mask[i & 3]!
  return frame
}

/** A connection's state, carried by Bun as the socket's `data`. */
export interface Conn {
  /** Bytes that did not fit in the socket yet (written on drain). */
  backlog: Uint8Array[]
  carry: Buffer | undefined
  upgraded: boolean
  head: string
  /** Path and port, to say which server a failure came from. */
  where: string
  /** Text frames received. */
  count: number
  onUpgrade: () => void
  onFrames: (n: number) => void
}

/** The part of a Bun socket the load generator uses. */
export type BunSocket = { write(data: Uint8Array | string): number; end(): void; data: Conn }

/** Writes `bytes`, or queues them behind what is already waiting for drain. */
export function send(s: BunSocket, bytes: Uint8Array) {
  const c = s.data
  if (c.backlog.length) {
    c.backlog.push(bytes)
    return
  }
  const wrote = s.write(bytes)
  if (wrote < bytes.length) c.backlog.push(bytes.subarray(Math.max(0, wrote)))
}

/** The first failure of the run, read by the entry once the run is over (an ESM live binding). */
export let failure: Error | undefined
/** Keeps `e` unless an earlier failure was kept. */
export const fail = (e: Error) => {
  failure ??= e
}

/**
 * Counts the complete text frames in `chunk` (after what was carried over), checking them against `expected`; keeps
 * an incomplete tail for the next chunk. Pings and other control frames are skipped.
 */
function parse(c: Conn, chunk: Buffer, expected: Buffer): number {
  let buf = chunk
  if (c.carry) {
    buf = Buffer.concat([c.carry, chunk])
    c.carry = undefined
  }
  let off = 0
  let frames = 0
  const end = buf.length
  while (end - off >= 2) {
    const op = buf[off]! & 0x0f
    let len = buf[off + 1]! & 0x7f
    let head = 2
    if (len === 126) {
      if (end - off < 4) break
      len = (buf[off + 2]! << 8) | buf[off + 3]!
      head = 4
    } else if (len === 127) {
      if (end - off < 10) break
      len = Number(buf.readBigUInt64BE(off + 2))
      head = 10
    }
    if (end - off < head + len) break
    if (op === 0x1) {
      // Every frame's opcode and length are checked; its bytes on the first frame of a read and every 16th after,
      // because a native compare per 64-byte frame would cost the generator more than the server spends on it.
      if (
        len !== expected.length ||
        ((frames & 15) === 0 && expected.compare(buf, off + head, off + head + len) !== 0)
      )
        fail(
          new Error(
            `${c.where}: the server sent a ${len}-byte text frame that is not the ${expected.length} bytes sent`
          )
        )
      frames++
    } else if (op === 0x8)
      fail(
        new Error(
          `${c.where}: the server closed the connection (${buf.subarray(off + head, off + head + len).toString('hex')})`
        )
      )
    off += head + len
  }
  if (off < end) c.carry = Buffer.from(buf.subarray(off))
  return frames
}

/** Opens a socket to `path` and resolves once the server's 101 has been read; server frames go to `onFrames`. */
export function open(
  port: number,
  path: string,
  expected: Buffer,
  onFrames: (n: number) => void
): Promise<BunSocket> {
  return new Promise((resolve, reject) => {
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')
    const conn: Conn = {
      backlog: [],
      carry: undefined,
      upgraded: false,
      head: '',
      where: `${path} on port ${port}`,
      count: 0,
      onUpgrade: () => {},
      onFrames,
    }
    Bun.connect<Conn>({
      hostname: '127.0.0.1',
      port,
      data: conn,
      socket: {
        open(s) {
          // Nagle would hold a small batch until the previous one is acknowledged, and a publisher's socket gets no
          // replies to carry acknowledgements: stalls of a delayed-ACK timeout (40 ms) instead of load.
          s.setNoDelay(true)
          conn.onUpgrade = () => resolve(s as unknown as BunSocket)
          s.write(
            `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`
          )
        },
        data(s, chunk) {
          const c = s.data
          if (!c.upgraded) {
            c.head += chunk.toString('latin1')
            const at = c.head.indexOf('\r\n\r\n')
            if (at < 0) return
            if (!c.head.startsWith('HTTP/1.1 101')) {
              reject(new Error(`handshake on ${path} refused: ${c.head.split('\r\n')[0]}`))
              s.end()
              return
            }
            c.upgraded = true
            const rest = Buffer.from(c.head.slice(at + 4), 'latin1')
            c.head = ''
            c.onUpgrade()
            if (rest.length === 0) return
            chunk = rest
          }
          const n = parse(c, chunk, expected)
          if (n) {
            c.count += n
            c.onFrames(n)
          }
        },
        drain(s) {
          const c = s.data
          while (c.backlog.length) {
            const b = c.backlog[0]!
            const wrote = s.write(b)
            if (wrote < b.length) {
              c.backlog[0] = b.subarray(Math.max(0, wrote))
              return
            }
            c.backlog.shift()
          }
        },
        close() {},
        error(_s, e) {
          fail(new Error(`${conn.where}: ${e.message}`))
          reject(e)
        },
        connectError(_s, e) {
          reject(e)
        },
      },
    }).catch(reject)
  })
}
