// Paths of the real bun and deno binaries installed from npm (not the .bin shims, which do not exec them).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(new URL('../package.json', import.meta.url))
export const bunBinary = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
export const denoBinary = join(dirname(require.resolve('deno/package.json')), 'deno')
// What the Deno entry may read: its own settings, and the two variables node-redis reads in cluster mode.
export const denoEnv =
  'PORT,HOST,REDIS_URL,REDIS_WAIT_MS,PRESENCE_TTL_MS,REDIS_DEBUG_MAINTENANCE,REDIS_EMIT_DIAGNOSTICS'
