// The servers the benchmark compares: for each runtime, the raw runtime, honokit, Hono's own helper and crossws.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const require = createRequire(import.meta.url)
const bench = fileURLToPath(new URL('..', import.meta.url))
const bun = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
const deno = join(dirname(require.resolve('deno/package.json')), 'deno')
/** The real Bun binary (not the .bin shim, which does not exec it): runs the load generator too. */
export const bunBinary = bun
/** The real Deno binary, from the `deno` npm package. */
export const denoBinary = deno

const version = (bin: string) =>
  spawnSync(bin, ['--version'], {
    encoding: 'utf8',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
  }).stdout?.match(/\d+\.\d+\.\d+/)?.[0] ?? 'unknown'
/** The version of the Bun binary the benchmark runs. */
export const bunVersion = () => version(bun)
/** The version of the Deno binary the benchmark runs. */
export const denoVersion = () => version(deno)

export type Runtime = 'node' | 'bun' | 'deno'
export type Flavour = 'raw' | 'honokit' | 'hono' | 'crossws'

export interface Variant {
  runtime: Runtime
  flavour: Flavour
  /** What the row is called in the report. */
  label: string
  /** The command that serves `servers/<runtime>-<flavour>.ts` on PORT (the runtime's real binary). */
  command: string[]
}

const labels: Record<Runtime, Record<Flavour, string>> = {
  node: { raw: '`ws` (raw)', honokit: '@honokit/ws-node', hono: '@hono/node-ws', crossws: 'crossws' },
  bun: { raw: '`Bun.serve` (raw)', honokit: '@honokit/ws-bun', hono: 'hono/bun', crossws: 'crossws' },
  deno: {
    raw: '`Deno.upgradeWebSocket` (raw)',
    honokit: '@honokit/ws-deno',
    hono: 'hono/deno',
    crossws: 'crossws',
  },
}

/** Where the bundle of a Node server goes. */
const bundled = (runtime: Runtime, flavour: Flavour) => join(bench, 'dist', `${runtime}-${flavour}.cjs`)

function command(runtime: Runtime, flavour: Flavour, file: string): string[] {
  // Each server has a /gc route for the memory reading; Node and Deno need V8's gc exposed for it.
  if (runtime === 'node') return [process.execPath, '--expose-gc', bundled(runtime, flavour)]
  if (runtime === 'bun') return [bun, 'run', file]
  return [deno, 'run', '--allow-net=127.0.0.1', '--allow-env=PORT', '--v8-flags=--expose-gc', file]
}

export const runtimes: Runtime[] = ['node', 'bun', 'deno']
export const flavours: Flavour[] = ['raw', 'honokit', 'hono', 'crossws']

export function variant(runtime: Runtime, flavour: Flavour): Variant {
  const file = `servers/${runtime}-${flavour}.ts`
  return { runtime, flavour, label: labels[runtime][flavour], command: command(runtime, flavour, file) }
}

/**
 * Bundles the Node servers with esbuild, as an app would ship them. Running them through a TypeScript loader instead
 * would distort the comparison: tsx keeps function names by wrapping every function, which doubles what each closure
 * costs (measured: core's per-connection state 4.2 KB built, 9.3 KB under tsx). Bun and Deno run TypeScript as is.
 */
export async function prepare(): Promise<void> {
  for (const flavour of flavours)
    await build({
      entryPoints: [join(bench, 'servers', `node-${flavour}.ts`)],
      outfile: bundled('node', flavour),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // ws loads these optional native helpers when they are installed; they are not.
      external: ['bufferutil', 'utf-8-validate'],
      // crossws's ESM calls createRequire(import.meta.url), which a CommonJS bundle must provide.
      define: { 'import.meta.url': '__bench_import_meta_url' },
      banner: { js: "const __bench_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
      logLevel: 'error',
    })
}

/** Prefixes `command` with `taskset -c <cpu>` where taskset exists and there are two cores to keep apart. */
export function pinned(cpu: number, command: string[], cores: number): string[] {
  return cores >= 2 && existsSync('/usr/bin/taskset')
    ? ['/usr/bin/taskset', '-c', String(cpu), ...command]
    : command
}
