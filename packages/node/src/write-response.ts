import type { Duplex } from 'node:stream'
import { responseBytes } from '@honokit/ws-core/adapter'

/**
 * Writes the app's whole response (status, headers, body) to a socket that did not upgrade, then closes it.
 * Ends with `end()` and destroys on `finish`, so a large body is not cut off (RUNTIME-NOTES N16).
 */
export async function writeResponse(socket: Duplex, res: Response): Promise<void> {
  const bytes = await responseBytes(res)
  if (socket.destroyed || !socket.writable) return
  socket.once('finish', () => socket.destroy())
  socket.end(bytes)
}
