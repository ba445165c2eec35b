/** @module The conformance runner: starts a server for the fixture app and runs every scenario over real sockets. */

export { scenarios } from '../scenarios/index.ts'
export type { Client, ClientSocket, ConnectOptions, Received } from './client.ts'
export { HandshakeRefused } from './client.ts'
export type { FrameSpec, RawOutcome, WireFrame } from './raw-socket.ts'
export { closeBody, frame, OP, parseFrames, RawSocket, readClose } from './raw-socket.ts'
export type { RunOptions, RunSummary } from './run.ts'
export { runConformance } from './run.ts'
export type { Scenario, ScenarioContext, ScenarioResult } from './scenario.ts'
export { scenario } from './scenario.ts'
export type { ServerProcess } from './spawn.ts'
export { freePort, startServer } from './spawn.ts'
export type { ConformanceTransport, InProcessTarget } from './transport.ts'
