#!/usr/bin/env node
// `npm run demo`: installs the workspace with the pinned pnpm, then starts the chat on Node at http://localhost:3000.
import { runPnpm } from './pnpm.mjs'

if (runPnpm(['install']) !== 0) process.exit(1)
process.exit(runPnpm(['--filter', '@honokit/chat-demo', 'start']))
