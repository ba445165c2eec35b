// Loaded by scripts/demo.mjs with `--import`: after the Node-demo-only install (`pnpm install --prod`), the workspace
// packages' peer dependencies (`hono`, `@hono/node-server`) are installed for the demo app but not linked into each
// package's own folder (pnpm links them there as dev dependencies). A bare import that cannot be resolved from a
// workspace package is resolved again from the demo app, as it would be for an app that installed the packages.
import { register } from 'node:module'

register(
  'data:text/javascript,' +
    encodeURIComponent(`
const app = ${JSON.stringify(new URL('../apps/chat-demo/package.json', import.meta.url).href)}
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context)
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || /^[./]|^[a-z]+:/.test(specifier)) throw error
    return next(specifier, { ...context, parentURL: app })
  }
}`)
)
