// The load generator, run under Bun (pinned to its own core by the runner) so one client core outpaces one server core:
// raw TCP sockets (Bun.connect), the HTTP upgrade written by hand, client frames masked once up front and written in
// batches, server frames parsed in place. It also reads the servers' CPU time from /proc around every measured slice,
// so the report can show a server saturated (≈1.0 of a core) while the generator still has headroom.
//
//   bun src/loadgen.ts '<json LoadgenOptions>'   →   one JSON line on stdout: a LoadgenResult, or with `servers`
//   an array of them, one per server
//
// Modes: `echo` (N connections × W messages in flight; latency percentiles when recorded) and `fanout` (S subscribers
// on /sub, one publisher on /pub keeping W publishes in flight; every subscriber must receive every publish, in order).
// Several servers are loaded in turn, in slices (loadgen-window.ts), from connections opened to all of them up front.
//
// Files: loadgen-client.ts (socket, frames), loadgen-window.ts (the measured slices, CPU time), loadgen-echo.ts and
// loadgen-fanout.ts (the two modes); the runner and the profiles start this file, so it stays the entry.
import { failure } from './loadgen-client.ts'
import { echo } from './loadgen-echo.ts'
import { fanout } from './loadgen-fanout.ts'
import type { LoadgenOptions } from './loadgen-types.ts'

if (import.meta.main) {
  const o = JSON.parse(process.argv[2]!) as LoadgenOptions
  const run = o.mode === 'fanout' ? fanout : echo
  run(o, o.servers ?? [{ port: o.port!, pid: o.serverPid }]).then(
    (r) => {
      if (failure) {
        console.error(failure.message)
        process.exit(1)
      }
      console.log(JSON.stringify(o.servers ? r : r[0]))
      process.exit(0)
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e)
      process.exit(1)
    }
  )
}
