import { defineConfig } from 'tsup'
import { dualFormat } from '../../tsup.config.base.ts'

export default defineConfig({
  ...dualFormat,
  entry: { index: 'src/index.ts', 'runner/index': 'src/runner/index.ts', cli: 'src/runner/cli.ts' },
  dts: { entry: { index: 'src/index.ts', 'runner/index': 'src/runner/index.ts' } },
})
