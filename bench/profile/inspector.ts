// Shared by the V8 profiles: start a bench server under the inspector, talk to it over the DevTools protocol, and
// open idle WebSocket connections to it.
import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { WebSocket } from 'ws'
import { handshake } from '../src/frames.ts'
import type { Runtime } from '../src/variants.ts'
import { variant } from '../src/variants.ts'

export const benchDir = fileURLToPath(new URL('..', import.meta.url))

/** A DevTools protocol session: `call` resolves with the method's result; `on` sees every event. */
export interface Inspector {
  call(method: string, params?: object): Promise<any>
  on(listener: (msg: { method?: string; params?: any }) => void): void
  close(): void
}

/** Starts `servers/<runtime>-<name>.ts` (Node: its bundle) with `--inspect` and connects to its inspector. */
export async function startInspected(
  runtime: Runtime,
  name: string
): Promise<{ server: ServerProcess; inspector: Inspector }> {
  const command = [...variant(runtime, name as never).command]
  command.splice(runtime === 'node' ? 1 : 2, 0, '--inspect=127.0.0.1:0')
  const server = await startServer(command, { cwd: benchDir })
  const address = server.fullOutput().match(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/)?.[0]
  if (!address) {
    await server.stop()
    throw new Error(`no inspector address in the server's output:\n${server.output()}`)
  }
  const socket = new WebSocket(address)
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  let id = 0
  const waiting = new Map<number, (result: any) => void>()
  const listeners: ((msg: { method?: string; params?: any }) => void)[] = []
  socket.on('message', (raw: Buffer) => {
    const msg = JSON.parse(raw.toString())
    if (msg.id !== undefined) {
      waiting.get(msg.id)?.(msg.result ?? msg.error)
      waiting.delete(msg.id)
    } else for (const l of listeners) l(msg)
  })
  const inspector: Inspector = {
    call: (method, params) =>
      new Promise((resolve) => {
        waiting.set(++id, resolve)
        socket.send(JSON.stringify({ id, method, params }))
      }),
    on: (listener) => listeners.push(listener),
    close: () => socket.close(),
  }
  return { server, inspector }
}

/** Opens `n` idle WebSocket connections to `path`, 100 at a time; returns their TCP sockets. */
export async function openIdle(port: number, n: number, path = '/ws') {
  const out = []
  for (let i = 0; i < n; i += 100)
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => handshake(port, path))))
    )
  return out.map((h) => h.socket)
}
