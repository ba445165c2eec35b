// `pnpm start:deno`: the chat on the real deno binary, with network access and its own variables only.
import { spawnSync } from 'node:child_process'
import { denoBinary, denoEnv } from './runtimes.mjs'

const args = ['run', '--allow-net', `--allow-env=${denoEnv}`, 'src/serve/deno.ts']
process.exit(
  spawnSync(denoBinary, args, { stdio: 'inherit', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } })
    .status ?? 1
)
