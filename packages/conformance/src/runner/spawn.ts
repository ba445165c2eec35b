import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** A server process under test. */
export interface ServerProcess {
  child: ChildProcess
  port: number
  /** The last lines the process wrote to stdout and stderr. */
  output(): string
  /** Everything the process wrote to stdout and stderr (the last 4 MiB), for scenarios that check its log. */
  fullOutput(): string
  /** Set once the process has exited: its code or signal. */
  exited(): string | undefined
  /** Stops the process group by PID (TERM, then KILL after `graceMs`), waits for the server to exit. */
  stop(graceMs?: number): Promise<void>
}

const live = new Set<ChildProcess>()

/**
 * Signals the server's whole process group: the runtime binary and anything it started (miniflare's workerd keeps
 * running when only its parent is killed).
 */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}
let hooked = false
function killAllOnExit() {
  if (hooked) return
  hooked = true
  const killAll = () => {
    for (const c of live) if (c.pid) signalGroup(c.pid, 'SIGKILL')
  }
  process.on('exit', killAll)
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      killAll()
      process.exit(130)
    })
}

/**
 * Starts `command` with `PORT` set, and resolves once `GET /health` answers 200 (or `readyPath` answers at all). The command must be the runtime's
 * real binary (not a shim that forks it), so that killing the PID stops the server.
 */
export async function startServer(
  command: string[],
  options: {
    cwd?: string
    env?: Record<string, string>
    readyTimeoutMs?: number
    /** Path polled until it answers; `/health` must answer 200, any other path any HTTP status. */
    readyPath?: string
    /** Port to use instead of a free one (to restart a server where its clients expect it). */
    port?: number
  } = {}
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort())
  const [bin, ...args] = command
  if (!bin) throw new Error('no server command given')
  killAllOnExit()
  const child = spawn(bin, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it stops everything it started.
    detached: true,
  })
  live.add(child)
  let out = ''
  let all = ''
  const keep = (d: Buffer) => {
    const text = d.toString('utf8')
    out = (out + text).slice(-8000)
    all = (all + text).slice(-4 * 1024 * 1024)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exit: string | undefined
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code)
      live.delete(child)
      resolve()
    })
    child.once('error', (e) => {
      exit = `spawn error: ${e.message}`
      live.delete(child)
      resolve()
    })
  })
  const server: ServerProcess = {
    child,
    port,
    output: () => out,
    fullOutput: () => all,
    exited: () => exit,
    async stop(graceMs = 2000) {
      if (exit !== undefined || !child.pid) return
      process.kill(child.pid, 'SIGTERM')
      const timer = setTimeout(
        () => exit === undefined && child.pid && process.kill(child.pid, 'SIGKILL'),
        graceMs
      )
      await exitedPromise
      clearTimeout(timer)
    },
  }
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`the server exited (${exit}) before it was ready:\n${out}`)
    try {
      const path = options.readyPath ?? '/health'
      const res = await fetch(`http://127.0.0.1:${port}${path}`)
      await res.body?.cancel()
      if (res.status === 200 || path !== '/health') return server
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  await server.stop()
  throw new Error(
    `the server did not answer GET /health within ${options.readyTimeoutMs ?? 60_000} ms:\n${out}`
  )
}
