// Preloaded into a Bun bench server by profile/bun-memory.ts: on SIGUSR2 it collects garbage and writes JSC heap
// statistics, with bytes and counts per class from a heap snapshot, to $HEAP_STATS_DIR/<pid>-<n>.json.
import { heapStats } from 'bun:jsc'

let n = 0
process.on('SIGUSR2', () => {
  Bun.gc(true)
  // Read before the snapshot, which allocates a lot itself.
  const before = { ...heapStats(), rss: process.memoryUsage().rss }
  const snapshot = Bun.generateHeapSnapshot() as unknown as {
    nodes: number[]
    nodeClassNames: string[]
  }
  const bytes: Record<string, number> = {}
  const counts: Record<string, number> = {}
  // JSC snapshot nodes are [id, size, classNameIndex, flags] in a flat array.
  for (let i = 0; i < snapshot.nodes.length; i += 4) {
    const name = snapshot.nodeClassNames[snapshot.nodes[i + 2]!]!
    bytes[name] = (bytes[name] ?? 0) + snapshot.nodes[i + 1]!
    counts[name] = (counts[name] ?? 0) + 1
  }
  const stats = { ...before, bytes, counts }
  Bun.write(`${process.env.HEAP_STATS_DIR}/${process.pid}-${n++}.json`, JSON.stringify(stats))
})
