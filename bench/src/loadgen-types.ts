// What the runner asks of the load generator (src/loadgen.ts, run under Bun) and what it answers, as JSON.

/** A server the load generator measures: its port, and its PID for its CPU time (/proc/<pid>/stat). */
export interface LoadgenServer {
  port: number
  pid?: number
}

export interface LoadgenOptions {
  mode: 'echo' | 'fanout'
  /** One server (the answer is one LoadgenResult): its port and PID. Ignored when `servers` is given. */
  port?: number
  serverPid?: number
  /**
   * Several servers, measured in turn in slices of `sliceMs` (the answer is one LoadgenResult per server, in this
   * order), so that a change of the machine's speed hits them alike.
   */
  servers?: LoadgenServer[]
  /** echo: connections; fanout: subscribers (to each server). */
  connections: number
  /** Messages (echo) or publishes (fanout) in flight. */
  window: number
  payloadBytes: number
  /** Load before a server's first measured slice. */
  warmupMs: number
  /** Measured time per server: the sum of its slices. */
  measureMs: number
  /** Measured time of one slice when several servers take turns; 250 ms by default. */
  sliceMs?: number
  /** echo: record each round trip and report p50/p99 (meant for 1 connection × 1 in flight). */
  latency?: boolean
}

export interface LoadgenResult {
  /** Messages received by the client in the measured slices (echoes, or deliveries to subscribers). */
  messages: number
  seconds: number
  messagesPerSecond: number
  /** fanout: publishes per second (deliveries ÷ subscribers). */
  publishesPerSecond?: number
  /** Server CPU seconds (user + system) in the measured slices, or null without /proc. */
  serverCpuSeconds: number | null
  /** Server CPU time per message received by the client, in µs. */
  serverCpuMicrosPerMessage: number | null
  /** Server CPU ÷ wall time: 1.0 is one core fully busy. */
  serverUtilisation: number | null
  /** The load generator's own CPU ÷ wall time. */
  loadUtilisation: number | null
  /** The measured slices the figures are summed over. */
  slices?: number
  /** Server CPU ÷ wall time during the other servers' slices, when it had no load: ≈ 0 unless it works late. */
  idleUtilisation?: number | null
  p50Micros?: number
  p99Micros?: number
}
