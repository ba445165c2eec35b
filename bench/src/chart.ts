// The chart of the results: three panels of bars as a ratio to the raw runtime (SVG), rendered to PNG by headless
// Chromium.
import { existsSync } from 'node:fs'
import { goals } from './goals.ts'
import type { Results, Stat } from './summary.ts'
import type { Flavour } from './variants.ts'

const colours: Record<Exclude<Flavour, 'raw'>, string> = {
  honokit: '#e36002',
  hono: '#6b7280',
  crossws: '#2563eb',
}
const names: Record<Exclude<Flavour, 'raw'>, string> = {
  honokit: 'honokit',
  hono: "Hono's helper",
  crossws: 'crossws',
}

/** Three panels (echo, fan-out, memory), one group of bars per runtime, a line at the raw runtime (1.0). */
export function chartSvg(r: Results): string {
  const panels = [
    { title: 'echo ÷ raw (higher is better)', key: 'echoRatio', goal: goals.echo },
    { title: 'fan-out ÷ raw (higher is better)', key: 'fanoutRatio', goal: goals.fanout },
    { title: 'memory per idle conn. ÷ raw (lower is better)', key: 'memoryRatio', goal: goals.memory },
  ] as const
  const W = 340
  const H = 300
  const top = 50
  const bottom = 40
  const left = 36
  const plotH = H - top - bottom
  const peers = ['honokit', 'hono', 'crossws'] as const
  const parts: string[] = []
  panels.forEach((p, i) => {
    const x0 = i * W
    const values = r.rows.map((w) => (w[p.key] as Stat | null)?.median ?? 0)
    const max = Math.min(4, Math.max(1.2, ...values.map((v) => v * 1.12), ...Object.values(p.goal)))
    const y = (v: number) => top + plotH - (Math.min(v, max) / max) * plotH
    parts.push(
      `<text x="${x0 + W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="600">${p.title}</text>`
    )
    for (let t = 0; t <= max + 1e-9; t += max > 2 ? 1 : 0.25) {
      parts.push(
        `<line x1="${x0 + left}" x2="${x0 + W - 10}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e7eb"/>`,
        `<text x="${x0 + left - 4}" y="${y(t) + 4}" text-anchor="end" font-size="10" fill="#6b7280">${t.toFixed(2)}</text>`
      )
    }
    const groupW = (W - left - 10) / r.runtimes.length
    const barW = (groupW - 16) / peers.length
    r.runtimes.forEach((runtime, g) => {
      const gx = x0 + left + g * groupW + 8
      peers.forEach((f, b) => {
        const s = r.rows.find((w) => w.runtime === runtime && w.flavour === f)?.[p.key] as Stat | null
        const v = s?.median ?? 0
        const bx = gx + b * barW
        parts.push(
          `<rect x="${bx}" y="${y(v)}" width="${barW - 3}" height="${top + plotH - y(v)}" fill="${colours[f]}"/>`,
          `<text x="${bx + (barW - 3) / 2}" y="${y(v) - 4}" text-anchor="middle" font-size="9">${s ? v.toFixed(2) : 'n/a'}</text>`
        )
        if (s && r.rounds > 1)
          parts.push(
            `<line x1="${bx + (barW - 3) / 2}" x2="${bx + (barW - 3) / 2}" y1="${y(s.min)}" y2="${y(s.max)}" stroke="#111" stroke-width="1"/>`
          )
      })
      const goal = p.goal[runtime]
      parts.push(
        `<line x1="${gx - 2}" x2="${gx + barW}" y1="${y(goal)}" y2="${y(goal)}" stroke="#dc2626" stroke-width="2.5"/>`,
        `<text x="${gx + groupW / 2 - 8}" y="${H - bottom + 18}" text-anchor="middle" font-size="12">${runtime}</text>`
      )
    })
    parts.push(
      `<line x1="${x0 + left}" x2="${x0 + W - 10}" y1="${y(1)}" y2="${y(1)}" stroke="#111" stroke-dasharray="4 3"/>`
    )
  })
  const legend = [
    ...peers.map((f) => ({ colour: colours[f], label: names[f], line: false })),
    { colour: '#111', label: 'raw runtime = 1.00', line: true },
    { colour: '#dc2626', label: 'honokit goal', line: true },
  ]
  legend.forEach((l, i) => {
    const lx = 40 + i * 190
    parts.push(
      l.line
        ? `<line x1="${lx}" x2="${lx + 18}" y1="${H + 6}" y2="${H + 6}" stroke="${l.colour}" stroke-width="2.5"/>`
        : `<rect x="${lx}" y="${H}" width="14" height="12" fill="${l.colour}"/>`,
      `<text x="${lx + 24}" y="${H + 10}" font-size="12">${l.label}</text>`
    )
  })
  const width = W * panels.length
  const height = H + 24
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Helvetica, Arial, sans-serif"><title>honokit, Hono's helpers and crossws as a ratio to the raw ` +
    `runtime: echo, fan-out, memory per idle connection</title><rect width="100%" height="100%" fill="#fff"/>` +
    `${parts.join('')}</svg>\n`
  )
}

/** Renders the SVG to PNG with the system's Chromium (Debian `chromium`); false when none is installed. */
export async function renderPng(svg: string, file: string): Promise<boolean> {
  const executablePath = '/usr/bin/chromium'
  if (!existsSync(executablePath)) return false
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 })
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`)
    await page.locator('svg').screenshot({ path: file })
    return true
  } finally {
    await browser.close()
  }
}
