import { defineConfig } from 'tsup'
import { dualFormat } from '../../tsup.config.base.ts'

// Two entries that share modules: split so that both load one copy of each (one WSContext class, one cache),
// in CommonJS too.
export default defineConfig({
  ...dualFormat,
  entry: { index: 'src/index.ts', adapter: 'src/adapter.ts' },
  splitting: true,
})
