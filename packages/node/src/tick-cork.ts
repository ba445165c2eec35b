import type { NodeWebSocketLike } from './websocket-like.ts'

// What is sent on one socket in one tick (the replies to the messages of one TCP read, a run of publishes) leaves in
// one write: the socket is corked at the tick's first send and uncorked once the tick's code has run
// (`process.nextTick`), as uWebSockets.js corks per event-loop iteration; `ws` alone makes one `writev` system call
// per message. Past CORK_MAX bytes held back the socket is uncorked at once, so a burst of sends is written as it
// grows and `bufferedAmount` (which counts corked bytes) measures the peer, not the cork.

/** Bytes a corked socket may hold back before it is written out within the tick. */
const CORK_MAX = 64 * 1024
const CORKED = Symbol('honokit.corked')

/** The parts of `ws`'s TCP socket (`ws._socket`, private to `ws`) the cork uses. */
interface CorkableSocket {
  cork(): void
  uncork(): void
  readonly writableLength: number
  [CORKED]?: boolean
}

const socketOf = (raw: NodeWebSocketLike) => (raw as { _socket?: CorkableSocket })._socket

/** Writes out what this module's cork held back on `socket`, if anything. */
function uncork(socket: CorkableSocket): void {
  if (!socket[CORKED]) return
  socket[CORKED] = false
  socket.uncork()
}

/** Corks the socket under `raw` until the end of this tick, unless it already is. */
export function corkForTick(raw: NodeWebSocketLike): void {
  const socket = socketOf(raw)
  if (!socket || socket[CORKED]) return
  socket[CORKED] = true
  socket.cork()
  process.nextTick(uncork, socket)
}

/** After a send: writes out at once what the cork holds back past CORK_MAX. */
export function flushPastCorkMax(raw: NodeWebSocketLike): void {
  const socket = socketOf(raw)
  if (socket?.[CORKED] && socket.writableLength > CORK_MAX) uncork(socket)
}

/** Writes out what the cork holds back now (before the socket is dropped, which would discard it). */
export function flushCork(raw: NodeWebSocketLike): void {
  const socket = socketOf(raw)
  if (socket) uncork(socket)
}
