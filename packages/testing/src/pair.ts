import { utf8Length, type WSReadyState } from '@honokit/ws-core/adapter'

/** What one end of a pair reports to its owner. */
export interface MemorySocketEvents {
  message(data: string | ArrayBuffer): void
  close(code: number, reason: string, wasClean: boolean): void
  pong?(): void
  /** The bytes this end had queued were read by the peer. */
  drain?(): void
}

type Frame =
  | { op: 'text'; data: string; size: number }
  | { op: 'binary'; data: ArrayBuffer; size: number }
  | { op: 'close'; code?: number; reason: string; size: 0 }
  | { op: 'ping' | 'pong'; size: 0 }

// Delivery in a later macrotask, as a network would: handlers never run inside the sender's call.
const later: (fn: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (fn) => (globalThis as unknown as { setImmediate(f: () => void): void }).setImmediate(fn)
    : (fn) => setTimeout(fn, 0)

/** Copies text or exactly the bytes of a view into a frame of its own (the sender may reuse its buffer). */
function frameOf(data: string | ArrayBuffer | ArrayBufferView): Frame {
  if (typeof data === 'string') return { op: 'text', data, size: utf8Length(data) }
  const bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const copy = bytes.slice().buffer
  return { op: 'binary', data: copy, size: copy.byteLength }
}

/**
 * One end of an in-memory WebSocket connection: frames go to its peer in order and arrive in a later task,
 * `bufferedAmount` counts the bytes the peer has not read yet (a paused peer reads nothing), and the closing
 * handshake, pings and drops behave as over a network. The server's end is `ws.raw` in handlers.
 */
export class MemorySocket {
  /** 1 open, 2 closing (our Close frame sent), 3 closed. */
  readyState: WSReadyState = 1
  /** Bytes sent by this end that its peer has not read yet. */
  bufferedAmount = 0
  /** Answers pings with a pong (set false to play a peer that went silent). */
  autoPong = true
  events?: MemorySocketEvents
  peer!: MemorySocket
  #inbox: Frame[] = []
  #paused = false
  #scheduled = false

  /** Two connected ends: `[server, client]`. */
  static pair(): [MemorySocket, MemorySocket] {
    const a = new MemorySocket()
    const b = new MemorySocket()
    a.peer = b
    b.peer = a
    return [a, b]
  }

  /** Sends a text or binary message; nothing once this end is closing. */
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 1) return
    this.#enqueue(frameOf(data))
  }

  /** Starts the closing handshake; without a code the Close frame carries none (the peer sees 1005). */
  close(code?: number, reason = ''): void {
    if (this.readyState !== 1) return
    this.readyState = 2
    this.#enqueue({ op: 'close', code, reason, size: 0 })
  }

  /** Sends a ping; the peer answers with a pong unless its `autoPong` is off. */
  ping(): void {
    if (this.readyState === 1) this.#enqueue({ op: 'ping', size: 0 })
  }

  /** Drops the connection without a closing handshake: both ends see 1006, unread frames are lost. */
  terminate(): void {
    for (const end of [this, this.peer]) end.#drop()
  }

  /** Stops reading: frames wait, and the peer's `bufferedAmount` grows (a slow consumer). */
  pause(): void {
    this.#paused = true
  }

  /** Reads again, delivering what waited. */
  resume(): void {
    this.#paused = false
    this.#schedule()
  }

  #enqueue(frame: Frame): void {
    this.bufferedAmount += frame.size
    this.peer.#inbox.push(frame)
    this.peer.#schedule()
  }

  #schedule(): void {
    if (this.#scheduled || this.#paused || this.#inbox.length === 0) return
    this.#scheduled = true
    later(() => {
      this.#scheduled = false
      this.#read()
    })
  }

  #read(): void {
    let read = 0
    while (!this.#paused && this.#inbox.length > 0 && this.readyState !== 3) {
      const frame = this.#inbox.shift()!
      this.peer.bufferedAmount -= frame.size
      read += frame.size
      this.#deliver(frame)
    }
    if (read > 0) this.peer.events?.drain?.()
  }

  #deliver(frame: Frame): void {
    switch (frame.op) {
      case 'text':
      case 'binary':
        this.events?.message(frame.data)
        return
      case 'ping':
        if (this.autoPong && this.readyState === 1) this.#enqueue({ op: 'pong', size: 0 })
        return
      case 'pong':
        this.events?.pong?.()
        return
      case 'close':
        // The peer started the handshake: answer with the same code, then this end is closed.
        if (this.readyState === 1) this.#enqueue({ ...frame })
        this.readyState = 3
        this.#inbox.length = 0
        this.events?.close(frame.code ?? 1005, frame.reason, true)
    }
  }

  #drop(): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.#inbox.length = 0
    later(() => this.events?.close(1006, '', false))
  }
}
