/** @module The cross-runtime conformance suite for Hono WebSocket adapters: the fixture app and its capabilities. */

export type { ConformanceAppOptions, ConformanceHelper, ConnectionView } from './app.ts'
export { createConformanceApp } from './app.ts'
export type { Capabilities, CapabilityDeclaration, CapabilityName, CapabilityReport } from './capabilities.ts'
export { CAPABILITIES, capabilityReport } from './capabilities.ts'
export type { LogEntry } from './log.ts'
