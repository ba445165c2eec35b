// What a registry page shows of each published package: its manifest links the repository, the folder and the
// issue tracker; `prepack` builds, so a packed tarball always holds `dist`; the CHANGELOG.md shipped with it is the
// one the pending changesets render; and its README works away from this repository (absolute links only, no
// document that is not in the repository).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { publicPackages, root } from './workspace-packages.ts'

const REPO = 'https://github.com/honokit/ws'

describe.each(publicPackages())('$name', ({ dir, manifest }) => {
  const full = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'))

  it('links its repository folder, homepage and issue tracker, builds before packing and ships its CHANGELOG', () => {
    expect(full.repository).toEqual({ type: 'git', url: `git+${REPO}.git`, directory: `packages/${dir}` })
    expect(full.homepage).toBe(`${REPO}/tree/main/packages/${dir}#readme`)
    expect(full.bugs).toEqual({ url: `${REPO}/issues` })
    expect(full.scripts.prepack).toBe(full.scripts.build)
    expect(full.files).toEqual(['dist', 'CHANGELOG.md'])
    expect(existsSync(join(root, 'packages', dir, 'CHANGELOG.md'))).toBe(true)
    expect(readFileSync(join(root, 'packages', dir, 'CHANGELOG.md'), 'utf8')).toMatch(
      new RegExp(`^# ${manifest.name.replace('/', '\\/')}\\n`)
    )
  })

  it('has a README whose links work on a registry page', () => {
    const readme = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8')
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
    const relative = links.filter((l) => !/^(https:\/\/|#)/.test(l))
    expect(
      relative,
      'relative links break outside the repository: use https://github.com/honokit/ws/…'
    ).toEqual([])
    for (const l of links.filter((l) => /^https:\/\/github\.com\/honokit\/ws\/(tree|blob)\/main\//.test(l))) {
      const path = l.replace(/^https:\/\/github\.com\/honokit\/ws\/(tree|blob)\/main\//, '').split('#')[0]!
      expect(existsSync(join(root, path)), `${l} points into the repository at a path that exists`).toBe(true)
    }
    expect(readme).not.toMatch(/ARCHITECTURE\.md/)
    expect(readme).toContain(`${REPO}#install-today`)
  })
})

it('every CHANGELOG.md is what the pending changesets render (npm run changelog)', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'changelog.mjs'), '--check'], {
    encoding: 'utf8',
  })
  expect(r.status, r.stdout + r.stderr).toBe(0)
})

it('the root README says how to install before the packages are published, with a command that exists', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts
  expect(readme).toContain('### Install today')
  expect(readme).toContain('npm run pack')
  expect(scripts.pack).toBe('node scripts/pack.mjs')
  expect(readme).toMatch(
    /npm install \S+\/packs\/honokit-ws-core-\d+\.\d+\.\d+\.tgz \S+\/packs\/honokit-ws-node-/
  )
  for (const doc of ['docs/recipes.md', 'docs/troubleshooting.md']) {
    expect(readme).toContain(`](${doc}`)
    expect(existsSync(join(root, doc))).toBe(true)
  }
})
