// `npm run demo` as a user runs it, on the workspace's own install: it starts without installing again, serves
// within seconds on 127.0.0.1, says where, and on Ctrl-C (SIGINT to the whole process group, as a terminal sends it)
// closes every client with 1001 and exits 0 without an npm or pnpm error.
import { type ChildProcess, spawn } from 'node:child_process'
import { freePort } from '@honokit/ws-conformance/runner'
import { afterEach, expect, it } from 'vitest'
import WebSocket from 'ws'
import { root } from './workspace-packages.ts'

let demo: ChildProcess | undefined
afterEach(() => {
  // The demo runs in its own process group: end whatever is left of it, by its PID.
  if (demo?.pid && demo.exitCode === null && demo.signalCode === null) process.kill(-demo.pid, 'SIGKILL')
})

it('npm run demo on an up-to-date install serves within 5 s on localhost, and Ctrl-C closes clients with 1001 and exits 0', async () => {
  const port = await freePort()
  const started = Date.now()
  const { HOST: _, ...env } = process.env
  demo = spawn('npm', ['run', 'demo'], { cwd: root, detached: true, env: { ...env, PORT: String(port) } })
  let output = ''
  demo.stdout!.on('data', (d: Buffer) => (output += d))
  demo.stderr!.on('data', (d: Buffer) => (output += d))
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    demo!.on('exit', (code, signal) => resolve({ code, signal }))
  )
  while (!output.includes('chat on ')) {
    if (demo.exitCode !== null) throw new Error(`the demo exited before serving:\n${output}`)
    if (Date.now() - started > 60_000) throw new Error(`the demo did not serve within 60 s:\n${output}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  const startup = Date.now() - started
  expect(output, 'an up-to-date install is not installed again').not.toContain('demo: installing')
  expect(startup).toBeLessThan(5000)
  expect(output).toContain(`chat on http://localhost:${port} (127.0.0.1: this machine only`)

  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?name=probe&room=demo-test`, {
    origin: `http://127.0.0.1:${port}`,
  })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) }))
  )
  process.kill(-demo.pid!, 'SIGINT')
  expect(await closed).toEqual({ code: 1001, reason: 'Server shutting down' })
  expect(await exited).toEqual({ code: 0, signal: null })
  expect(output).not.toMatch(/ERR_PNPM|npm error|Exit status/)
}, 90_000)
