/**
 * @module Hono's WebSocket helper API with one set of guarantees, shared by every @honokit/ws adapter: what an app
 * imports (types, `WSContext`, settings, brokers). The adapter author's API is at `@honokit/ws-core/adapter`.
 */

export type { WSBroker, WSBrokerMessage } from './broker.ts'
export { createMemoryBroker } from './broker.ts'
export { HANDLER_ERROR_CLOSE_CODE, SLOW_CONSUMER_CLOSE_CODE, TOO_BIG_CLOSE_CODE } from './close-code.ts'
export { WSContext } from './context.ts'
export { createWSMessageEvent, defineWebSocketHelper } from './define-helper.ts'
export type { WSHelperInstance } from './helper-instance.ts'
export type { WSConnections, WSHubOptions } from './hub-types.ts'
export type { WSHeartbeat, WSLimits, WSOriginPolicy } from './options.ts'
export { DEFAULT_HELPER_MAX_CONNECTIONS, DEFAULT_LIMITS } from './options.ts'
export type { WSRefusal, WSRefusalCause } from './refusal.ts'
export type { WSLogger } from './refusal-log.ts'
export type {
  SendOptions,
  UpgradeWebSocket,
  WebSocketHelperDefineContext,
  WebSocketHelperDefineHandler,
  WSAnnotatedEvents,
  WSCloseEvent,
  WSContextInit,
  WSData,
  WSErrorEvent,
  WSEvents,
  WSMessageEvent,
  WSMessageReceive,
  WSOpenEvent,
  WSProtocolSelector,
  WSReadyState,
  WSSendData,
  WSUpgradeInfo,
  WSUpgradeOptions,
} from './types.ts'
