#!/usr/bin/env node
// `npm run cluster`: installs the workspace with the pinned pnpm, then starts the chat as a local cluster (a
// redis-server and the chat on Node, Bun and Deno, sharing rooms through Redis) and prints the URLs. Ctrl-C or
// SIGTERM stops every process it started.
import { runPnpm } from './pnpm.mjs'

if (runPnpm(['install']) !== 0) process.exit(1)
const { main } = await import('../apps/chat-demo/scripts/cluster.mjs')
await main()
