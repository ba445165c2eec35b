#!/usr/bin/env node
// `npm run changelog`: renders the pending changesets (.changeset/*.md) into an "Unreleased" section at the top of
// each published package's CHANGELOG.md, so the changes are readable before `changeset version` turns them into a
// numbered release. Versions are not touched. With `--check` it writes nothing and exits 1 when a CHANGELOG.md is not
// what it would write (tests/changelog.test.ts runs that). After `changeset version` has consumed the changesets,
// running it again drops the "Unreleased" section and keeps the numbered ones changesets wrote.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const BUMPS = ['major', 'minor', 'patch']
const HEADINGS = { major: 'Major changes', minor: 'Minor changes', patch: 'Patch changes' }
const UNRELEASED = '## Unreleased'

/** Every pending changeset: its packages with their bump, and its summary, oldest first (by the commit adding it). */
export function pendingChangesets() {
  const dir = join(root, '.changeset')
  const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')
  const added = new Map()
  try {
    const log = execFileSync(
      'git',
      ['log', '--diff-filter=A', '--format=@%ct', '--name-only', '--', '.changeset'],
      {
        cwd: root,
        encoding: 'utf8',
      }
    )
    let time = 0
    for (const line of log.split('\n')) {
      if (line.startsWith('@')) time = Number(line.slice(1))
      else if (line.trim()) added.set(line.trim().replace('.changeset/', ''), time)
    }
  } catch {
    // Not a git checkout (a tarball of the repository): fall back to file names.
  }
  const order = (f) => added.get(f) ?? Number.MAX_SAFE_INTEGER
  return files
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8')
      const m = text.match(/^---\n([\s\S]*?)---\n([\s\S]*)$/)
      if (!m) throw new Error(`.changeset/${file} has no front matter`)
      const releases = {}
      for (const line of m[1].split('\n').filter((l) => l.trim())) {
        const r = line.match(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/)
        if (!r) throw new Error(`.changeset/${file}: cannot read "${line}"`)
        releases[r[1]] = r[2]
      }
      return { file, releases, summary: m[2].trim() }
    })
}

/** The packages under packages/ that are published, with their manifest. */
function publishedPackages() {
  return readdirSync(join(root, 'packages'))
    .sort()
    .map((dir) => ({ dir, file: join(root, 'packages', dir, 'package.json') }))
    .filter((p) => existsSync(p.file))
    .map((p) => ({ ...p, manifest: JSON.parse(readFileSync(p.file, 'utf8')) }))
    .filter((p) => !p.manifest.private)
}

/** The fixed groups of .changeset/config.json, as predicates over package names. */
function fixedGroups() {
  const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'))
  const glob = (pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
  return (config.fixed ?? []).map((group) => (name) => group.some((p) => glob(p).test(name)))
}

const nextVersion = (version, bump) => {
  const [major, minor, patch] = version.split('.').map(Number)
  // As changesets computes it (semver, no special case for 0.x).
  if (bump === 'major') return `${major + 1}.0.0`
  if (bump === 'minor') return `${major}.${minor + 1}.0`
  return `${major}.${minor}.${patch + 1}`
}
const highest = (bumps) => BUMPS.find((b) => bumps.includes(b))

/** The CHANGELOG.md each published package should have, by its path. */
export function renderChangelogs() {
  const changesets = pendingChangesets()
  const packages = publishedPackages()
  const groups = fixedGroups()
  const out = {}
  for (const p of packages) {
    const name = p.manifest.name
    const own = changesets.filter((c) => c.releases[name])
    const group = groups.find((inGroup) => inGroup(name))
    // A fixed group releases together: every member takes the highest bump of any member's changeset.
    const bumps = changesets.flatMap((c) =>
      Object.entries(c.releases)
        .filter(([n]) => n === name || (group && packages.some((q) => q.manifest.name === n) && group(n)))
        .map(([, b]) => b)
    )
    const bump = highest(bumps)
    const file = join(root, 'packages', p.dir, 'CHANGELOG.md')
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : `# ${name}\n`
    // Keep what changesets wrote (numbered releases); replace only our own section.
    const body = previous
      .replace(/^# .*\n+/, '')
      .replace(new RegExp(`^${UNRELEASED}[\\s\\S]*?(?=^## |(?![\\s\\S]))`, 'm'), '')
      .trim()
    let unreleased = ''
    if (bump) {
      const lines = [
        `${UNRELEASED}`,
        '',
        `Pending changes, rendered from the changesets in \`.changeset/\`. They will be released as ` +
          `${nextVersion(p.manifest.version, bump)}${group ? ', together with the other `@honokit/ws-*` packages' : ''}.`,
      ]
      for (const b of BUMPS) {
        const entries = own.filter((c) => c.releases[name] === b)
        if (entries.length === 0) continue
        lines.push('', `### ${HEADINGS[b]}`, '')
        for (const c of entries) lines.push(`- ${c.summary.replace(/\n+/g, ' ')}`)
      }
      if (own.length === 0)
        lines.push('', 'No changes of its own: released with the group at the same version.')
      unreleased = `${lines.join('\n')}\n`
    }
    const text = `# ${name}\n\n${unreleased}${unreleased && body ? '\n' : ''}${body ? `${body}\n` : ''}`
    out[file] = text
  }
  return out
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check')
  const stale = []
  for (const [file, text] of Object.entries(renderChangelogs())) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
    if (current === text) continue
    stale.push(file.slice(root.length))
    if (!check) writeFileSync(file, text)
  }
  if (check && stale.length > 0) {
    console.error(`out of date (run \`npm run changelog\`): ${stale.join(', ')}`)
    process.exit(1)
  }
  console.log(check ? 'every CHANGELOG.md is up to date' : `wrote ${stale.length} CHANGELOG.md file(s)`)
}
