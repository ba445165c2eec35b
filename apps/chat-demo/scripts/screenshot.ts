// Regenerates docs/screenshot.png: the Node entry, two members in Chromium, a few messages.
// Run with `node --import tsx scripts/screenshot.ts` (needs Debian's chromium).
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import { chromium } from 'playwright-core'

const app = fileURLToPath(new URL('..', import.meta.url))
const server = await startServer([process.execPath, '--import', 'tsx', 'src/serve/node.ts'], { cwd: app })
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
})
try {
  const open = async (name: string) => {
    const page = await browser.newPage({ viewport: { width: 900, height: 640 } })
    await page.goto(`http://127.0.0.1:${server.port}/`)
    await page.fill('#name', name)
    await page.fill('#room', 'lobby')
    await page.click('#join')
    await page.waitForSelector('#state[data-state="open"]')
    return page
  }
  const ann = await open('ann')
  const bob = await open('bob')
  const say = async (page: typeof ann, text: string) => {
    await page.fill('#text', text)
    await page.click('#send')
    await ann.waitForSelector(`#messages li:has-text("${text}")`)
  }
  await say(ann, 'hi bob! this room runs on Node, Bun, Deno and Cloudflare alike')
  await say(bob, 'hello ann, same app, same guarantees everywhere')
  await say(ann, 'presence, history and reconnect included')
  await ann.screenshot({ path: `${app}/docs/screenshot.png` })
  console.log('wrote docs/screenshot.png')
  // The same room on a phone-sized screen (390 px, as the browser test checks).
  const phone = await browser.newPage({ viewport: { width: 390, height: 700 } })
  await phone.goto(`http://127.0.0.1:${server.port}/`)
  await phone.fill('#name', 'cy')
  await phone.fill('#room', 'lobby')
  await phone.click('#join')
  await phone.waitForSelector('#state[data-state="open"]')
  await phone.fill('#text', 'on my phone: same room, same history')
  await phone.click('#send')
  await phone.waitForSelector('#messages li.mine')
  await phone.screenshot({ path: `${app}/docs/screenshot-390.png` })
  console.log('wrote docs/screenshot-390.png')
} finally {
  await browser.close()
  await server.stop()
}
