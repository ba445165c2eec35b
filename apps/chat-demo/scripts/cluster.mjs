// `npm run cluster`: a local chat cluster on this machine: a redis-server and three chat instances (Node, Bun,
// Deno) on free ports of 127.0.0.1, sharing rooms, presence and history through Redis, plus a round-robin TCP
// balancer in front of them (a client whose instance dies reconnects through it to a live one). Prints the URLs;
// Ctrl-C or SIGTERM stops every process it started, by PID.
import { spawn } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { bunBinary, denoBinary, denoEnv } from './runtimes.mjs'

const app = fileURLToPath(new URL('..', import.meta.url))

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** The command that serves the chat on `runtime` (the real binary, so that its PID is the server's). */
export function chatCommand(runtime) {
  if (runtime === 'node') return [process.execPath, '--import', 'tsx', 'src/serve/node.ts']
  if (runtime === 'bun') return [bunBinary, 'run', 'src/serve/bun.ts']
  if (runtime === 'deno')
    return [denoBinary, 'run', '--allow-net=127.0.0.1', `--allow-env=${denoEnv}`, 'src/serve/deno.ts']
  throw new Error(`no chat entry for runtime ${runtime}: use node, bun or deno`)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Resolves once redis-server on `port` answers PING (raw RESP, no client needed), or rejects after `ms`. */
export async function waitForRedis(port, ms = 15_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const pong = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.setTimeout(1000, () => socket.destroy())
      socket.on('error', () => resolve(false))
      socket.on('close', () => resolve(false))
      socket.on('connect', () => socket.write('PING\r\n'))
      socket.on('data', (d) => {
        resolve(String(d).startsWith('+PONG'))
        socket.destroy()
      })
    })
    if (pong) return
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within ${ms} ms`)
    await sleep(100)
  }
}

/** Starts redis-server on `port` (no persistence) and waits for it. */
export async function startRedis(port, binary = process.env.REDIS_SERVER ?? 'redis-server') {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' }
  )
  const exited = new Promise((resolve) => {
    child.once('exit', resolve)
    child.once('error', (e) => resolve(e))
  })
  const failed = exited.then((e) => {
    throw new Error(
      `redis-server did not start (${e instanceof Error ? e.message : `exit ${e}`}): apt-get install redis-server`
    )
  })
  await Promise.race([waitForRedis(port), failed])
  failed.catch(() => {})
  return {
    child,
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal)
      await exited
    },
  }
}

/** A round-robin TCP balancer: each connection goes to the next backend that accepts it. */
export function startBalancer(port, backends) {
  let next = 0
  const sockets = new Set()
  const server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    client.pause()
    const attempt = (left) => {
      if (left === 0) return client.destroy()
      const backend = backends[next++ % backends.length]
      const upstream = connect(backend, '127.0.0.1')
      upstream.once('error', () => attempt(left - 1))
      upstream.once('connect', () => {
        sockets.add(upstream)
        upstream.removeAllListeners('error')
        upstream.on('error', () => client.destroy())
        upstream.on('close', () => {
          sockets.delete(upstream)
          client.destroy()
        })
        client.on('close', () => upstream.destroy())
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
    }
    attempt(backends.length)
  })
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          for (const s of sockets) s.destroy()
          return new Promise((r) => server.close(r))
        },
      })
    )
  )
}

/** Starts one chat instance and resolves once it answers /health (or rejects with its output). */
export async function startInstance(runtime, { port, env = {}, log = () => {}, readyMs = 30_000 }) {
  const [bin, ...args] = chatCommand(runtime)
  const child = spawn(bin, args, {
    cwd: app,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (d) => {
    output += d
    for (const line of String(d).split('\n').filter(Boolean)) log(`[${runtime}] ${line}`)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + readyMs
  let exitCode
  exited.then((c) => (exitCode = c))
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the ${runtime} instance exited (${exitCode}):\n${output}`)
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false
    )
    if (ok) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the ${runtime} instance did not answer on ${url} within ${readyMs} ms:\n${output}`)
    }
    await sleep(150)
  }
  return {
    runtime,
    child,
    port,
    url,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Redis, one instance per runtime, and the balancer; `stop()` ends them all. */
export async function startCluster({ runtimes = ['node', 'bun', 'deno'], env = {}, log = () => {} } = {}) {
  const started = []
  const stop = async () => {
    for (const p of started.reverse()) await p.stop().catch(() => {})
  }
  try {
    const redis = await startRedis(await freePort())
    started.push({ stop: () => redis.kill('SIGTERM') })
    const instances = []
    for (const runtime of runtimes) {
      const instance = await startInstance(runtime, {
        port: await freePort(),
        env: { REDIS_URL: redis.url, ...env },
        log,
      })
      started.push(instance)
      instances.push(instance)
    }
    const balancer = await startBalancer(
      await freePort(),
      instances.map((i) => i.port)
    )
    started.push({ stop: () => balancer.close() })
    return { redis, instances, balancer, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** The command line: start, print the URLs, stop everything on Ctrl-C / SIGTERM. */
export async function main() {
  console.log('starting redis-server and the chat on node, bun and deno …')
  const cluster = await startCluster({ log: (line) => console.log(line) })
  console.log(`\nchat cluster ready (Redis at ${cluster.redis.url}):`)
  for (const i of cluster.instances) console.log(`  ${i.runtime.padEnd(6)} ${i.url}/`)
  console.log(`  balanced ${cluster.balancer.url}/   (round robin over the three)`)
  console.log('open two of them in two tabs, join one room; Ctrl-C stops everything.')
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    console.log('\nstopping …')
    await cluster.stop()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
