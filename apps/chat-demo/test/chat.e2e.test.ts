// The chat in a real browser (Debian's Chromium driven by playwright-core) against each runtime's entry: two pages
// in one room see each other join, exchange messages, and see a leave.
import { existsSync } from 'node:fs'
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
