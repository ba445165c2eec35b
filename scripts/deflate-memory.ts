// Measures what permessage-deflate costs per connection: the server's RSS after N connections that each negotiated
// it and exchanged one compressed message (so both zlib contexts exist), against the same with perMessageDeflate off.
//   node --import tsx scripts/deflate-memory.ts [connections=300]
// Node and Bun only: Deno never negotiates it, workerd negotiates it outside the process we can measure.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { constants, deflateRawSync } from 'node:zlib'
import { RawSocket } from '../packages/conformance/src/runner/raw-socket.ts'
import { freePort } from '../packages/conformance/src/runner/spawn.ts'

const n = Number(process.argv[2] ?? 300)
const here = import.meta.dirname
const bun = join(
  createRequire(join(here, '..', 'packages', 'bun', 'package.json')).resolve('bun/package.json'),
  '..',
  'bin',
  'bun.exe'
)
const runtimes = {
  node: (file: string) => [process.execPath, '--expose-gc', '--import', 'tsx', file],
  bun: (file: string) => [bun, 'run', file],
}
const text = 'a message that compresses well, '.repeat(64)

async function measure(runtime: keyof typeof runtimes, deflate: boolean) {
  const port = await freePort()
  const dir = join(here, '..', 'packages', runtime)
  const [cmd, ...args] = runtimes[runtime](join(dir, 'test', 'fixtures', 'deflate-server.ts'))
  const child = spawn(cmd!, args, {
    cwd: dir,
    env: { ...process.env, PORT: String(port), DEFLATE: deflate ? '1' : '0' },
    stdio: 'inherit',
  })
  try {
    const mem = async () => {
      for (let i = 0; ; i++) {
        try {
          return (await (await fetch(`http://127.0.0.1:${port}/mem`)).json()) as { rss: number; open: number }
        } catch (e) {
          if (i > 100) throw e
          await new Promise((r) => setTimeout(r, 100))
        }
      }
    }
    await mem()
    const before = await mem()
    const sockets: RawSocket[] = []
    for (let i = 0; i < n; i++) {
      const raw = await RawSocket.open(port, '/ws', {
        headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' },
      })
      const negotiated = /permessage-deflate/.test(raw.header('sec-websocket-extensions') ?? '')
      if (negotiated !== deflate)
        throw new Error(`${runtime}: negotiated ${negotiated} with perMessageDeflate ${deflate}`)
      const body = deflateRawSync(Buffer.from(text), { finishFlush: constants.Z_SYNC_FLUSH })
      raw.send(
        negotiated
          ? { opcode: 1, payload: body.subarray(0, body.length - 4), rsv: 4 }
          : { opcode: 1, payload: text }
      )
      await raw.take(1)
      sockets.push(raw)
    }
    const after = await mem()
    for (const s of sockets) s.destroy()
    return { perConnection: (after.rss - before.rss) / n, open: after.open }
  } finally {
    child.kill('SIGKILL')
  }
}

const rows: string[] = []
for (const runtime of Object.keys(runtimes) as (keyof typeof runtimes)[]) {
  const off = await measure(runtime, false)
  const on = await measure(runtime, true)
  const kib = (b: number) => (b / 1024).toFixed(1)
  rows.push(
    `| ${runtime} | ${kib(off.perConnection)} | ${kib(on.perConnection)} | ${kib(on.perConnection - off.perConnection)} |`
  )
}
console.log(`RSS per connection, ${n} connections, one compressed message each way\n`)
console.log(
  '| runtime | KiB, perMessageDeflate off | KiB, on | KiB added by permessage-deflate |\n|---|---:|---:|---:|'
)
for (const r of rows) console.log(r)
