#!/usr/bin/env node
// `npm run bench:cluster`: installs the workspace with the pinned pnpm, then runs packages/redis/bench/cluster.ts:
// 300 clients over three instances (Node, Bun, Deno) sharing a redis-server, 10,000 publishes checked for loss,
// duplicates and order, with latency and throughput against one instance without a broker. Not part of `npm test`.
import { runPnpm } from './pnpm.mjs'

if (runPnpm(['install']) !== 0) process.exit(1)
process.exit(runPnpm(['--filter', '@honokit/ws-redis', 'run', 'bench:cluster', ...process.argv.slice(2)]))
