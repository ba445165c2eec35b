import { clientFrame, parseServerFrames, rawRequest, upgradeRequest } from './src/runner/client.ts'

async function probe(path: string, n: number) {
  const res = await rawRequest(4556, upgradeRequest(4556, path))
  let buf = res.body
  const events: string[] = []
  res.socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d])
  })
  res.socket.on('error', (e) => events.push('error:' + (e as any).code))
  res.socket.on('end', () => events.push('FIN'))
  res.socket.write(Buffer.concat(Array.from({ length: n }, (_, i) => clientFrame(1, Buffer.from('m' + i)))))
  await new Promise((r) => setTimeout(r, 300))
  const parsed = parseServerFrames(buf)
  return (
    parsed.frames
      .map((f) =>
        f.opcode === 8 ? `close:${f.payload.length ? f.payload.readUInt16BE(0) : '-'}` : `op${f.opcode}`
      )
      .join(',') +
    ' ' +
    events.join(',')
  )
}
const out: Record<string, number> = {}
for (let i = 0; i < 20; i++) {
  const r = await probe('/ws/throw?in=message&mode=sync&id=c' + i, 5)
  out[r] = (out[r] ?? 0) + 1
}
console.log(out)
process.exit(0)
