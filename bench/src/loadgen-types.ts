// What the runner asks of the load generator (src/loadgen.ts, run under Bun) and what it answers, as JSON.

export interface LoadgenOptions {
  mode: 'echo' | 'fanout'
  port: number
  /** The server's PID, for its CPU time (/proc/<pid>/stat). */
  serverPid?: number
  /** echo: connections; fanout: subscribers. */
  connections: number
  /** Messages (echo) or publishes (fanout) in flight. */
  window: number
  payloadBytes: number
  warmupMs: number
  measureMs: number
  /** echo: record each round trip and report p50/p99 (meant for 1 connection × 1 in flight). */
  latency?: boolean
}

export interface LoadgenResult {
  /** Messages received by the client in the measured window (echoes, or deliveries to subscribers). */
  messages: number
  seconds: number
  messagesPerSecond: number
  /** fanout: publishes per second (deliveries ÷ subscribers). */
  publishesPerSecond?: number
  /** Server CPU seconds (user + system) in the window, or null without /proc. */
  serverCpuSeconds: number | null
  /** Server CPU time per message received by the client, in µs. */
  serverCpuMicrosPerMessage: number | null
  /** Server CPU ÷ wall time: 1.0 is one core fully busy. */
  serverUtilisation: number | null
  /** The load generator's own CPU ÷ wall time. */
  loadUtilisation: number | null
  p50Micros?: number
  p99Micros?: number
}
