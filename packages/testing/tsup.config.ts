import { defineConfig } from 'tsup'
import { dualFormat } from '../../tsup.config.base.ts'

// Two entries: the in-memory helper (runtime-neutral) and `./serve`, which loads a runtime's adapter on demand.
export default defineConfig({ ...dualFormat, entry: { index: 'src/index.ts', serve: 'src/serve.ts' } })
