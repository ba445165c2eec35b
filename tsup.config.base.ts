import { defineConfig, type Options } from 'tsup'

/**
 * The build every published package shares: ESM (`.js` + `.d.ts`) and CommonJS (`.cjs` + `.d.cts`) from its entries,
 * so `import` and `require` both load it (every package is `"type": "module"`, hence `.cjs` for the CommonJS half).
 */
export const dualFormat: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
}

/**
 * The build of a package with entries that share modules: one copy of each shared module, in CommonJS too. Rollup
 * splits the CommonJS half (`treeshake`); without it tsup converts esbuild's ESM chunks with sucrase, which rewrites
 * every `?.` and `??` into a helper call that makes a closure each time it runs (one per `ws.send` in core).
 */
export const splitDualFormat: Options = { ...dualFormat, splitting: true, treeshake: true }

/** The build of a package with one entry, src/index.ts. */
export default defineConfig({ ...dualFormat, entry: ['src/index.ts'] })
