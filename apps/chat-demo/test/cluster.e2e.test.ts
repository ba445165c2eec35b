// The cluster in a real browser: two Chromium pages on two different instances (Node and Deno) sharing one room
// through a real redis-server see each other's presence and messages.
import { existsSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { freePort, startInstance, startRedis } from '../scripts/cluster.mjs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const hasRedis = existsSync('/usr/bin/redis-server')
if (process.env.CI && !hasChromium) {
  throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium).`)
}
if (process.env.CI && !hasRedis) {
  throw new Error('redis-server is missing: .ci/run installs it (apt-get install -y redis-server).')
}
const ready = hasChromium && hasRedis
// Outside CI a machine without them reports the test as skipped, with the install hint in its name.
const unlessMissing = ready
  ? ''
  : ` (skipped: needs Chromium at ${CHROMIUM} and redis-server; apt-get install chromium redis-server)`

let browser: Browser | undefined
const stops: (() => Promise<unknown>)[] = []
let ports: number[] = []
beforeAll(async () => {
  if (!ready) return
  const redis = await startRedis(await freePort())
  stops.push(() => redis.kill())
  const env = { REDIS_URL: redis.url }
  for (const runtime of ['node', 'deno']) {
    const instance = await startInstance(runtime, { port: await freePort(), env })
    stops.push(() => instance.stop())
    ports.push(instance.port)
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  })
}, 90_000)
afterAll(async () => {
  await browser?.close()
  for (const stop of stops.reverse()) await stop().catch(() => {})
  ports = []
})

async function join(url: string, name: string, room: string): Promise<Page> {
  const page = await browser!.newPage()
  await page.goto(url)
  await page.fill('#name', name)
  await page.fill('#room', room)
  await page.click('#join')
  await page.waitForSelector('#state[data-state="open"]')
  await page.waitForSelector(`#messages li.system:has-text("you joined ${room} as ${name}")`)
  return page
}
const members = (page: Page) => page.$$eval('#members li', (lis) => lis.map((li) => li.textContent))
const say = async (page: Page, text: string) => {
  await page.fill('#text', text)
  await page.click('#send')
}

it.skipIf(!ready)(
  `two pages on two instances (Node and Deno) share one room: presence, messages and leave${unlessMissing}`,
  async () => {
    const [onNode, onDeno] = ports.map((p) => `http://127.0.0.1:${p}/`) as [string, string]
    const ann = await join(onNode, 'ann', 'e2e-cluster')
    const bob = await join(onDeno, 'bob', 'e2e-cluster')
    await ann.waitForSelector('#messages li.system:has-text("bob joined")')
    expect(await members(ann)).toEqual(['ann', 'bob'])
    expect(await members(bob)).toEqual(['ann', 'bob'])

    await say(bob, 'hello from deno')
    await ann.waitForSelector('#messages li:has-text("bob: hello from deno")')
    await say(ann, 'hi bob, node here')
    await bob.waitForSelector('#messages li:has-text("ann: hi bob, node here")')
    // Each message once on each page.
    expect(await ann.locator('#messages li:has-text("hello from deno")').count()).toBe(1)
    expect(await bob.locator('#messages li:has-text("hi bob, node here")').count()).toBe(1)

    await bob.close()
    await ann.waitForSelector('#messages li.system:has-text("bob left")')
    await ann.waitForFunction(() => document.querySelectorAll('#members li').length === 1)
    expect(await members(ann)).toEqual(['ann'])
    await ann.close()
  }
)
