import { defineConfig } from 'tsup'
import { splitDualFormat } from '../../tsup.config.base.ts'

// Two entries that share modules: split so that both load one copy of each (one WSContext class, one cache),
// in CommonJS too.
export default defineConfig({
  ...splitDualFormat,
  entry: { index: 'src/index.ts', adapter: 'src/adapter.ts' },
})
