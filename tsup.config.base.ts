import { defineConfig } from 'tsup'

/** The build of a package with one entry: ESM and .d.ts from src/index.ts, shared by every package. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
})
