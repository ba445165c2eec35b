// The few WebSocket frames the load generator needs, built and parsed by hand so the client costs little per message.
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'

/**
 * A masked client text frame carrying `payload` (under 64 KiB). The mask key is zero: the frame is valid and the
 * payload needs no XOR, which keeps the client cheap.
 */
export function textFrame(payload: Buffer): Buffer {
  if (payload.length >= 65536) throw new RangeError('payloads of 64 KiB or more are not needed here')
  const short = payload.length < 126
  const head = Buffer.alloc(short ? 6 : 8)
  head[0] = 0x81
  if (short) head[1] = 0x80 | payload.length
  else {
    head[1] = 0x80 | 126
    head.writeUInt16BE(payload.length, 2)
  }
  return Buffer.concat([head, payload])
}

/** Reads server frames (unmasked) from a stream of chunks; calls `onFrame` with each complete data frame. */
export function frameReader(onFrame: (opcode: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let carry: Buffer | undefined
  return (chunk) => {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk
    carry = undefined
    let off = 0
    while (buf.length - off >= 2) {
      const opcode = buf[off]! & 0x0f
      let len = buf[off + 1]! & 0x7f
      let head = 2
      if (len === 126) {
        if (buf.length - off < 4) break
        len = buf.readUInt16BE(off + 2)
        head = 4
      } else if (len === 127) {
        if (buf.length - off < 10) break
        len = Number(buf.readBigUInt64BE(off + 2))
        head = 10
      }
      if (buf.length - off < head + len) break
      onFrame(opcode, buf.subarray(off + head, off + head + len))
      off += head + len
    }
    if (off < buf.length) carry = buf.subarray(off)
  }
}

/** Opens a WebSocket over a raw TCP socket: resolves with the socket and the bytes that followed the 101. */
export function handshake(port: number, path = '/ws'): Promise<{ socket: Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true })
    const key = randomBytes(16).toString('base64')
    socket.once('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`
      )
    )
    let got = Buffer.alloc(0)
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d])
      const end = got.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      socket.off('error', reject)
      const head = got.subarray(0, end).toString('latin1')
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy()
        reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`))
      } else resolve({ socket, rest: got.subarray(end + 4) })
    }
    socket.on('data', onData)
    socket.once('error', reject)
  })
}
