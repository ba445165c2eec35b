// Serves several of the bench's servers in one Bun or Deno process, for ../same-process.ts. VARIANTS lists their
// files (servers/<runtime>-<flavour>.ts, or bun-floor.ts beside this one) and PORTS their ports; each file reads PORT
// when it is imported, so PORT is set to the next port before each import. The first one listens on PORT as given.
type DenoEnv = { env: { get(n: string): string | undefined; set(n: string, v: string): void } }
const deno = (globalThis as { Deno?: DenoEnv }).Deno
const getEnv = (name: string) => deno?.env.get(name) ?? process.env[name]
const setPort = (port: string) => {
  if (deno) deno.env.set('PORT', port)
  else process.env.PORT = port
}

const files = (getEnv('VARIANTS') ?? '').split(',')
const ports = [getEnv('PORT')!, ...(getEnv('PORTS') ?? '').split(',')]
for (const [i, file] of files.entries()) {
  setPort(ports[i]!)
  await import(file)
}
