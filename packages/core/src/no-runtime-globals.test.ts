/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const srcDir = fileURLToPath(new URL('.', import.meta.url))
const packageDir = join(srcDir, '..')

/** Every non-test .ts file under src, with its text. */
function sourceFiles(): { name: string; text: string }[] {
  return (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => ({
      name: relative(srcDir, join(srcDir, name)),
      text: readFileSync(join(srcDir, name), 'utf8'),
    }))
}

/**
 * Blanks comments and the text of string and template literals (keeping `${…}` code), so a check can tell a
 * runtime use of a name from prose that mentions it. Regular-expression literals are left as they are.
 */
function codeOnly(source: string): string {
  let out = ''
  let i = 0
  // Each entry is the brace depth inside a `${` of a template literal.
  const templates: number[] = []
  const blank = (s: string) => s.replace(/[^\n]/g, ' ')
  const readTemplateText = () => {
    const start = i
    while (i < source.length && source[i] !== '`' && !(source[i] === '$' && source[i + 1] === '{')) {
      i += source[i] === '\\' ? 2 : 1
    }
    out += blank(source.slice(start, i))
    if (source[i] === '`') {
      out += '`'
      i++
    } else if (i < source.length) {
      out += '${'
      i += 2
      templates.push(0)
    }
  }
  while (i < source.length) {
    const ch = source[i]!
    const next = source[i + 1]
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i)
      const stop = end === -1 ? source.length : end
      out += blank(source.slice(i, stop))
      i = stop
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      const stop = end === -1 ? source.length : end + 2
      out += blank(source.slice(i, stop))
      i = stop
    } else if (ch === "'" || ch === '"') {
      let j = i + 1
      while (j < source.length && source[j] !== ch && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1
      out += `${ch}${blank(source.slice(i + 1, j))}${ch}`
      i = j + 1
    } else if (ch === '`') {
      out += '`'
      i++
      readTemplateText()
    } else if (ch === '}' && templates.length > 0 && templates[templates.length - 1] === 0) {
      templates.pop()
      out += '}'
      i++
      readTemplateText()
    } else {
      if (templates.length > 0) {
        if (ch === '{') templates[templates.length - 1]!++
        if (ch === '}') templates[templates.length - 1]!--
      }
      out += ch
      i++
    }
  }
  return out
}

const FORBIDDEN: [label: string, pattern: RegExp][] = [
  ['Bun.', /\bBun\./],
  ['Deno.', /\bDeno\./],
  ['WebSocketPair', /WebSocketPair/],
  ["from 'node:", /from\s+['"]node:/],
  ['process.', /\bprocess\./],
  ['require(', /\brequire\(/],
]

describe('core source', () => {
  const files = sourceFiles()

  it('is read from src', () => {
    const names = files.map((f) => f.name)
    expect(names).toContain('index.ts')
    expect(names).toContain('connection.ts')
    expect(names.some((n) => n.includes('.test.'))).toBe(false)
  })

  it.each(FORBIDDEN)('never mentions %s', (_label, pattern) => {
    const offenders = files.filter((f) => pattern.test(f.text)).map((f) => f.name)
    expect(offenders).toEqual([])
  })

  it('never uses Buffer (whole word) outside comments and string literals', () => {
    const offenders = files.filter((f) => /\bBuffer\b/.test(codeOnly(f.text))).map((f) => f.name)
    expect(offenders).toEqual([])
  })
})

describe('codeOnly', () => {
  it('keeps code and blanks comments, strings and template text', () => {
    const source = [
      "const a = Buffer.from('Buffer') // Buffer",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a source file, not a template.
      '/* Buffer */ const b = `Buffer ${Buffer.alloc(1)} Buffer ${`${{ x: Buffer }.x}`}` + "Buffer"',
    ].join('\n')
    const code = codeOnly(source)
    expect(code).toHaveLength(source.length)
    expect(code.match(/\bBuffer\b/g)).toHaveLength(3)
    expect(codeOnly("const s = 'use Buffer here'")).not.toMatch(/\bBuffer\b/)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a source file, not a template.
    const template = 'const s = `got ${kind}: Buffer`'
    expect(codeOnly(template)).not.toMatch(/\bBuffer\b/)
    expect(codeOnly(template)).toContain('kind')
  })
})

describe('core package.json', () => {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >

  it('has no dependencies', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([])
    expect(Object.keys(pkg.optionalDependencies ?? {})).toEqual([])
    expect(Object.keys(pkg.bundledDependencies ?? {})).toEqual([])
  })

  it('lists hono only as a peer dependency', () => {
    expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['hono'])
    expect(pkg.dependencies?.hono).toBeUndefined()
  })
})
