// Serves several echo servers in one Bun process, for ../same-process.ts: the first on PORT, the others on ports the
// system picks, printed as one line `ports: <first>,<second>,…`. VARIANTS names the files beside this one (raw, floor,
// honokit), each exporting serve(port), which returns the port it listens on.
const names = (process.env.VARIANTS ?? '').split(',')
const ports: number[] = []
for (const [i, name] of names.entries()) {
  const variant = (await import(`./${name}.ts`)) as { serve(port: number): number }
  ports.push(variant.serve(i === 0 ? Number(process.env.PORT) : 0))
}
console.log(`ports: ${ports.join(',')}`)
