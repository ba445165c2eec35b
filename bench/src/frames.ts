// The HTTP upgrade done by hand over a raw TCP socket: how the runner opens the idle connections of the memory reading
// (the load itself comes from loadgen.ts under Bun).
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'

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
