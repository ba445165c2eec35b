// The chat in a real browser (Debian's Chromium driven by playwright-core) against each runtime's entry: two pages
// in one room see each other join, exchange messages, and see a leave.
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join as joinPath } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bunBinary, denoBinary } from '../scripts/runtimes.mjs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const app = fileURLToPath(new URL('..', import.meta.url))
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium && process.env.CI) {
  throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium).`)
}

// Outside CI a machine without Chromium reports the browser tests as skipped, with the install hint in their names.
const unlessNoChromium = hasChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`

const runtimes = [
  { name: 'node', command: [process.execPath, '--import', 'tsx', 'src/serve/node.ts'] },
  { name: 'bun', command: [bunBinary, 'run', 'src/serve/bun.ts'] },
  {
    name: 'deno',
    command: [denoBinary, 'run', '--allow-net=127.0.0.1', '--allow-env=PORT,HOST', 'src/serve/deno.ts'],
  },
  { name: 'cloudflare', command: [process.execPath, '--import', 'tsx', 'src/serve/cloudflare-local.ts'] },
]

let browser: Browser | undefined
beforeAll(async () => {
  if (!hasChromium) return
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, 60_000)
afterAll(() => browser?.close())

async function join(url: string, name: string, room: string): Promise<Page> {
  const page = await browser!.newPage()
  await page.goto(url)
  await page.fill('#name', name)
  await page.fill('#room', room)
  await page.click('#join')
  await page.waitForSelector('#state[data-state="open"]')
  // The welcome (room, name, member list) follows the open; the page has joined once it is shown.
  await page.waitForSelector(`#messages li.system:has-text("you joined ${room} as ${name}")`)
  return page
}

const members = (page: Page) => page.$$eval('#members li', (lis) => lis.map((li) => li.textContent))
const say = async (page: Page, text: string) => {
  await page.fill('#text', text)
  await page.click('#send')
}

describe.each(runtimes)('chat in Chromium on $name', ({ name, command }) => {
  let server: ServerProcess | undefined
  beforeAll(async () => {
    if (hasChromium) {
      server = await startServer(command, {
        cwd: app,
        env: { DENO_NO_UPDATE_CHECK: '1', HOST: '127.0.0.1' },
        readyPath: '/health',
      })
    }
  }, 60_000)
  afterAll(() => server?.stop())

  it.skipIf(!hasChromium)(
    `two pages see each other join, chat, and see a leave${unlessNoChromium}`,
    async () => {
      const url = `http://127.0.0.1:${server!.port}/`
      const room = `e2e-${name}`
      const ann = await join(url, 'ann', room)
      const bob = await join(url, 'bob', room)
      await ann.waitForSelector('#messages li.system:has-text("bob joined")')
      expect(await members(ann)).toEqual(['ann', 'bob'])
      expect(await members(bob)).toEqual(['ann', 'bob'])

      await say(bob, 'hello from bob')
      await ann.waitForSelector('#messages li:has-text("bob: hello from bob")')
      await say(ann, 'hi bob, ann here')
      await bob.waitForSelector('#messages li:has-text("ann: hi bob, ann here")')

      await bob.close()
      await ann.waitForSelector('#messages li.system:has-text("bob left")')
      await ann.waitForFunction(() => document.querySelectorAll('#members li').length === 1)
      expect(await members(ann)).toEqual(['ann'])
      await ann.close()
    }
  )

  it.skipIf(!hasChromium)(
    `a join the server refuses is shown in its words: a name already in the room${unlessNoChromium}`,
    async () => {
      const url = `http://127.0.0.1:${server!.port}/`
      const room = `dup-${name}`
      const first = await join(url, 'dee', room)
      const second = await browser!.newPage()
      await second.goto(url)
      await second.fill('#name', 'dee')
      await second.fill('#room', room)
      await second.click('#join')
      await second.waitForSelector('#error:has-text("taken")')
      expect(await second.textContent('#error')).toBe(
        `Cannot join: the name dee is taken in ${room}, pick another.`
      )
      expect(await second.getAttribute('#state', 'data-state')).toBe('idle')
      await first.close()
      await second.close()
    }
  )
})

describe('reconnect', () => {
  it.skipIf(!hasChromium)(
    `the page reconnects with backoff when the server restarts, and rejoins the room${unlessNoChromium}`,
    async () => {
      const command = [process.execPath, '--import', 'tsx', 'src/serve/node.ts']
      let server = await startServer(command, { cwd: app })
      const port = server.port
      try {
        const page = await join(`http://127.0.0.1:${port}/`, 'cy', 'restart')
        await server.stop()
        await page.waitForSelector('#state[data-state="reconnecting"]')
        expect(await page.textContent('#state')).toMatch(/^reconnecting in \d+(\.\d)? s$/)
        server = await startServer(command, { cwd: app, port })
        await page.waitForSelector('#state[data-state="open"]', { timeout: 20_000 })
        await page.waitForFunction(() => document.querySelector('#members')?.textContent === 'cy')
        await page.close()
      } finally {
        await server.stop()
      }
    }
  )
})

describe('the page (Node entry)', () => {
  let server: ServerProcess | undefined
  let url = ''
  beforeAll(async () => {
    if (!hasChromium) return
    server = await startServer([process.execPath, '--import', 'tsx', 'src/serve/node.ts'], { cwd: app })
    url = `http://127.0.0.1:${server.port}/`
  }, 60_000)
  afterAll(() => server?.stop())

  it.skipIf(!hasChromium)(
    `names and rooms are checked with the server's rules before anything connects${unlessNoChromium}`,
    async () => {
      const page = await browser!.newPage()
      const sockets: string[] = []
      page.on('websocket', (ws) => sockets.push(ws.url()))
      await page.goto(url)
      await page.fill('#name', '   ')
      await page.click('#join')
      await page.waitForSelector('#error:has-text("name")')
      expect(await page.textContent('#error')).toBe('Cannot join: a name of 1 to 24 characters is needed.')
      expect(await page.getAttribute('#name', 'aria-invalid')).toBe('true')
      await page.fill('#name', 'eve')
      await page.fill('#room', 'Bad Room!')
      await page.click('#join')
      await page.waitForSelector('#error:has-text("room")')
      expect(await page.textContent('#error')).toBe(
        'Cannot join: a room of 1 to 32 characters (a-z, 0-9, -) is needed.'
      )
      expect(await page.getAttribute('#room', 'aria-invalid')).toBe('true')
      expect(await page.getAttribute('#state', 'data-state')).toBe('idle')
      expect(sockets).toEqual([])
      await page.fill('#room', 'fine-room')
      await page.click('#join')
      await page.waitForSelector('#state[data-state="open"]')
      expect(await page.textContent('#error')).toBe('')
      expect(sockets).toHaveLength(1)
      await page.close()
    }
  )

  it.skipIf(!hasChromium)(
    `own messages stand out, every message has its time, and Leave leaves${unlessNoChromium}`,
    async () => {
      const ann = await join(url, 'ann', 'page-own')
      const bob = await join(url, 'bob', 'page-own')
      await say(ann, 'mine, not yours')
      await ann.waitForSelector('#messages li.mine:has-text("ann: mine, not yours")')
      await bob.waitForSelector('#messages li:has-text("ann: mine, not yours")')
      expect(await bob.$$eval('#messages li.mine', (lis) => lis.length)).toBe(0)
      expect(await ann.inputValue('#text')).toBe('')
      const time = await bob.textContent('#messages li:has-text("mine, not yours") time')
      expect(time).toMatch(/^\d\d:\d\d$/)
      expect(await ann.textContent('#members li.me')).toBe('ann')

      await bob.click('#leave')
      await bob.waitForSelector('#state[data-state="idle"]')
      await bob.waitForSelector('#messages li.system:has-text("you left page-own")')
      expect(await bob.isVisible('#join')).toBe(true)
      expect(await bob.isVisible('#leave')).toBe(false)
      await ann.waitForSelector('#messages li.system:has-text("bob left")')
      // Left for good: no reconnect.
      await new Promise((r) => setTimeout(r, 1500))
      expect(await bob.getAttribute('#state', 'data-state')).toBe('idle')
      expect(await members(ann)).toEqual(['ann'])
      await ann.close()
      await bob.close()
    }
  )

  it.skipIf(!hasChromium)(
    `a message refused by the rate limit stays in the input, with the reason${unlessNoChromium}`,
    async () => {
      const page = await join(url, 'fast', 'page-limit')
      for (let i = 0; i < 10; i++) {
        await say(page, `quick ${i}`)
        await page.waitForSelector(`#messages li.mine:has-text("quick ${i}")`)
      }
      await say(page, 'one too many')
      await page.waitForSelector('#error:has-text("Not sent")')
      expect(await page.textContent('#error')).toBe('Not sent: slow down: at most 10 messages per 5 s')
      expect(await page.inputValue('#text')).toBe('one too many')
      await page.close()
    }
  )

  it.skipIf(!hasChromium)(`the page has an icon${unlessNoChromium}`, async () => {
    const res = await fetch(`${url}favicon.ico`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(await res.text()).toMatch(/^<svg /)
    const page = await browser!.newPage()
    await page.goto(url)
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('/favicon.svg')
    await page.close()
  })

  it.skipIf(!hasChromium)(
    `at 390 px wide nothing overflows sideways and Join, Send and Leave are on screen${unlessNoChromium}`,
    async () => {
      const page = await browser!.newPage({ viewport: { width: 390, height: 844 } })
      await page.goto(url)
      const onScreen = async (selector: string) => {
        const box = await page.locator(selector).boundingBox()
        expect(box, selector).not.toBeNull()
        expect(box!.x, selector).toBeGreaterThanOrEqual(0)
        expect(box!.x + box!.width, selector).toBeLessThanOrEqual(390)
      }
      await onScreen('#join')
      await page.fill('#name', 'a-rather-long-name-here')
      await page.fill('#room', 'a-long-room-name-for-a-phone')
      await page.click('#join')
      await page.waitForSelector('#state[data-state="open"]')
      await say(page, `a long word without spaces: ${'x'.repeat(120)}`)
      await page.waitForSelector('#messages li.mine')
      await onScreen('#send')
      await onScreen('#leave')
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }))
      expect(widths.scroll).toBeLessThanOrEqual(widths.inner)
      const shot = joinPath(app, '..', '..', 'reports', 'chat-demo-390.png')
      mkdirSync(dirname(shot), { recursive: true })
      await page.screenshot({ path: shot, fullPage: true })
      expect(statSync(shot).size).toBeGreaterThan(1000)
      await page.close()
    }
  )
})
