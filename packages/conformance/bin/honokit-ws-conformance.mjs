#!/usr/bin/env node
// Inside this repository the CLI runs from TypeScript source through tsx; the published package runs dist/cli.js.
import { register } from 'tsx/esm/api'

register()
await import('../src/runner/cli.ts')
