// Serves several echo servers in one Bun or Deno process, for ../same-process.ts: the first on PORT, the others on
// ports the system picks, printed as one line `ports: <first>,<second>,…`. VARIANTS names the files beside this one
// (bun-raw, bun-floor, bun-honokit, deno-raw, deno-honokit, deno-hono), each exporting serve(port), which returns the
// port it listens on.
const env = (name: string): string | undefined =>
  (globalThis as { Deno?: { env: { get(n: string): string | undefined } } }).Deno?.env.get(name) ??
  process.env[name]
const names = (env('VARIANTS') ?? '').split(',')
const ports: number[] = []
for (const [i, name] of names.entries()) {
  const variant = (await import(`./${name}.ts`)) as { serve(port: number): number }
  ports.push(variant.serve(i === 0 ? Number(env('PORT')) : 0))
}
console.log(`ports: ${ports.join(',')}`)
