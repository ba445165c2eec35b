// Preloaded into a Bun bench server by profile/bun-cpu.ts: SIGUSR2 makes the server exit normally, so that
// `bun --cpu-prof` writes its profile (it does so on exit, not when the process is killed).
process.on('SIGUSR2', () => process.exit(0))
