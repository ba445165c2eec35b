import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', 'runner/index': 'src/runner/index.ts', cli: 'src/runner/cli.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', 'runner/index': 'src/runner/index.ts' } },
  clean: true,
  target: 'es2022',
})
