// Fan-out mode of the load generator: S subscribers on /sub of each server, and one publisher on /pub keeping W
// publishes in flight during the server's turn; after every turn each subscriber must have received every publish.
import { type BunSocket, fail, maskedTextFrame, open, send } from './loadgen-client.ts'
import type { LoadgenOptions, LoadgenResult, LoadgenServer } from './loadgen-types.ts'
import { type Load, loadInSlices, pause } from './loadgen-window.ts'

interface FanoutLoad extends Load {
  close(): void
}

/** Opens the subscribers and the publisher of one server and checks every subscription is live. */
async function openFanout(o: LoadgenOptions, server: LoadgenServer, payload: Buffer): Promise<FanoutLoad> {
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
          open(server.port, '/sub', payload, (n) => {
            delivered += n
            refill()
          })
        )
      ))
    )
  pub = await open(server.port, '/pub', payload, () =>
    fail(new Error('the publisher received its own publish'))
  )
  // Subscriptions may complete after the 101: probe until every subscriber has had a publish, then let it settle.
  const deadline = Date.now() + 10_000
  while (subscribers.some((s) => s.data.count === 0)) {
    if (Date.now() > deadline) {
      const missing = subscribers.filter((s) => s.data.count === 0).length
      throw new Error(
        `${missing} of ${subs} subscribers on port ${server.port} received no publish within 10 s`
      )
    }
    send(pub, frame)
    await pause(20)
  }
  await pause(200)
  delivered = 0
  for (const s of subscribers) s.data.count = 0
  return {
    pid: server.pid,
    received: () => delivered,
    start() {
      flowing = true
      refill()
    },
    stop() {
      flowing = false
    },
    // Every subscriber must get every publish: the next server starts only when they have, and the run fails if
    // some never do.
    inFlight() {
      const short = subscribers.filter((s) => s.data.count !== sent)
      return short.length
        ? `${short.length} of ${subs} subscribers on port ${server.port} did not receive exactly the ${sent} ` +
            `publishes sent (e.g. ${short[0]!.data.count})`
        : undefined
    },
    close() {
      pub?.end()
      for (const s of subscribers) s.end()
    },
  }
}

/** Runs the fan-out load against each server in turn and measures it; one result per server. */
export async function fanout(o: LoadgenOptions, servers: LoadgenServer[]): Promise<LoadgenResult[]> {
  const payload = Buffer.alloc(o.payloadBytes, 'p')
  const measured = await loadInSlices(servers, (server) => openFanout(o, server, payload), o)
  return measured.map(({ result, server }) => {
    if (result.messages === 0) fail(new Error(`no publish reached a subscriber on port ${server.port}`))
    return { ...result, publishesPerSecond: result.messagesPerSecond / o.connections }
  })
}
