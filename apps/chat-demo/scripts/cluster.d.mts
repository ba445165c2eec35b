import type { ChildProcess } from 'node:child_process'

/** A port that was free a moment ago on 127.0.0.1. */
export declare function freePort(): Promise<number>
/** The command that serves the chat on `runtime`. */
export declare function chatCommand(runtime: string): string[]
/** Resolves once redis-server on `port` answers PING. */
export declare function waitForRedis(port: number, ms?: number): Promise<void>
export interface RedisProcess {
  child: ChildProcess
  port: number
  url: string
  kill(signal?: NodeJS.Signals): Promise<void>
}
/** Starts redis-server on `port` (no persistence) and waits for it. */
export declare function startRedis(port: number, binary?: string): Promise<RedisProcess>
/** A round-robin TCP balancer over the backends' ports. */
export declare function startBalancer(
  port: number,
  backends: number[]
): Promise<{ url: string; close(): Promise<void> }>
export interface ChatInstance {
  runtime: string
  child: ChildProcess
  port: number
  url: string
  output(): string
  exited: Promise<unknown>
  stop(): Promise<void>
}
/** Starts one chat instance and resolves once it answers /health. */
export declare function startInstance(
  runtime: string,
  options: { port: number; env?: Record<string, string>; log?: (line: string) => void; readyMs?: number }
): Promise<ChatInstance>
/** Redis, one instance per runtime, and the balancer. */
export declare function startCluster(options?: {
  runtimes?: string[]
  env?: Record<string, string>
  log?: (line: string) => void
}): Promise<{
  redis: RedisProcess
  instances: ChatInstance[]
  balancer: { url: string; close(): Promise<void> }
  stop(): Promise<void>
}>
/** The command line: start, print the URLs, stop everything on Ctrl-C / SIGTERM. */
export declare function main(): Promise<void>
