// Runs a TypeScript Worker from workspace source in workerd through miniflare, offline: bundled with esbuild at
// start, on 127.0.0.1, disposed (workerd stopped) on SIGTERM/SIGINT.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

/** Bundles `entry` for workerd (TOOLCHAIN.md: neutral platform, cloudflare:* external, worker conditions). */
export async function bundleWorker(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    external: ['cloudflare:*'],
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'error',
  })
  return out.outputFiles[0]!.text
}

/** Starts miniflare with the bundled `entry`; stops it when the process is told to. */
export async function serveWorker(
  entry: string,
  options: { port: number; bindings?: Record<string, string>; durableObjects?: Record<string, string> }
): Promise<Miniflare> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(entry),
    // 2026-04-26: the newest date this miniflare supports; workerd answers client Close frames itself from 2026-04-07.
    compatibilityDate: '2026-04-26',
    host: '127.0.0.1',
    port: options.port,
    bindings: options.bindings,
    durableObjects: options.durableObjects,
  })
  await mf.ready
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await mf.dispose()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  return mf
}
