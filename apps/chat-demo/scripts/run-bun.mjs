// `pnpm start:bun`: the chat on the real bun binary.
import { spawnSync } from 'node:child_process'
import { bunBinary } from './runtimes.mjs'

process.exit(spawnSync(bunBinary, ['run', 'src/serve/bun.ts'], { stdio: 'inherit' }).status ?? 1)
