#!/usr/bin/env node
// `npm run bench [-- --rounds 5 …]`: installs the workspace with the pinned pnpm, then runs bench/src/run.ts, which
// measures honokit and Hono's own helpers against the raw runtimes in the same run. Not part of `npm test`.
import { runPnpm } from './pnpm.mjs'

if (runPnpm(['install']) !== 0) process.exit(1)
process.exit(runPnpm(['--filter', '@honokit/bench', 'run', 'bench', ...process.argv.slice(2)]))
