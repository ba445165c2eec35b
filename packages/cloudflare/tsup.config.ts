import { defineConfig } from 'tsup'
import { dualFormat } from '../../tsup.config.base.ts'

// Two entries that share modules: split so that both load one copy of each, in CommonJS too.
export default defineConfig({
  ...dualFormat,
  entry: { index: 'src/index.ts', durable: 'src/durable.ts' },
  splitting: true,
})
