// Fan-out mode of the load generator: S subscribers on /sub, one publisher on /pub keeping W publishes in flight; every
// subscriber must receive every publish, in order.
import { type BunSocket, fail, maskedTextFrame, open, send } from './loadgen-client.ts'
import type { LoadgenOptions, LoadgenResult } from './loadgen-types.ts'
import { pause, window } from './loadgen-window.ts'

/** Runs the fan-out load against `o.port` and measures it. */
export async function fanout(o: LoadgenOptions): Promise<LoadgenResult> {
  const payload = Buffer.alloc(o.payloadBytes, 'p')
  const frame = maskedTextFrame(payload)
  const burst = new Uint8Array(frame.length * o.window)
  for (let i = 0; i < o.window; i++) burst.set(frame, i * frame.length)
  const subs = o.connections
  let delivered = 0
  let sent = 0
  let flowing = false
  let pub: BunSocket | undefined
  // Keeps `window` publishes in flight: a publish counts as done once, on average, every subscriber has it.
  const refill = () => {
    if (!flowing || !pub) return
    const done = Math.floor(delivered / subs)
    const k = Math.min(o.window, o.window - (sent - done))
    if (k <= 0) return
    send(pub, k === o.window ? burst : burst.subarray(0, k * frame.length))
    sent += k
  }
  const subscribers: BunSocket[] = []
  for (let i = 0; i < subs; i += 100)
    subscribers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, subs - i) }, () =>
          open(o.port, '/sub', payload, (n) => {
            delivered += n
            refill()
          })
        )
      ))
    )
  pub = await open(o.port, '/pub', payload, () => fail(new Error('the publisher received its own publish')))
  // Subscriptions may complete after the 101: probe until every subscriber has had a publish, then let it settle.
  const deadline = Date.now() + 10_000
  while (subscribers.some((s) => s.data.count === 0)) {
    if (Date.now() > deadline) {
      const missing = subscribers.filter((s) => s.data.count === 0).length
      throw new Error(`${missing} of ${subs} subscribers received no publish within 10 s`)
    }
    send(pub, frame)
    await pause(20)
  }
  await pause(200)
  delivered = 0
  for (const s of subscribers) s.data.count = 0
  flowing = true
  refill()
  const r = await window(o, () => delivered)
  flowing = false
  // Every subscriber must get every publish: wait for the last ones in flight, then compare counts.
  const until = Date.now() + 5000
  while (subscribers.some((s) => s.data.count !== sent) && Date.now() < until) await pause(20)
  const short = subscribers.filter((s) => s.data.count !== sent)
  if (short.length)
    fail(
      new Error(
        `${short.length} of ${subs} subscribers did not receive all ${sent} publishes (e.g. ${short[0]!.data.count})`
      )
    )
  pub.end()
  for (const s of subscribers) s.end()
  return { ...r, publishesPerSecond: r.messagesPerSecond / subs }
}
