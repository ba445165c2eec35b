/** @module Hono's WebSocket helper API with one set of guarantees, shared by every @honokit/ws adapter. */

export {
  checkCapacity,
  checkOrigin,
  isSameOrigin,
  RETRY_AFTER_SECONDS,
  refuseUnsupported,
} from './admission.ts'
export type { WSBroker, WSBrokerMessage } from './broker.ts'
export { createMemoryBroker } from './broker.ts'
export { isSendableCloseCode, MAX_CLOSE_REASON_BYTES, normalizeCloseArgs } from './close-code.ts'
export {
  createConnection,
  HANDLER_ERROR_CLOSE_CODE,
  SLOW_CONSUMER_CLOSE_CODE,
  TOO_BIG_CLOSE_CODE,
} from './connection.ts'
export type { RouteCounter, WSConnection, WSConnectionInit } from './connection-types.ts'
export { WSContext } from './context.ts'
export { toExactArrayBuffer, toSendable } from './data.ts'
export { createWSMessageEvent, defineWebSocketHelper } from './define-helper.ts'
export type { ServerOrigin } from './forwarded.ts'
export { forwardedOrigin, serverOrigin } from './forwarded.ts'
export {
  checkHandshake,
  hasToken,
  isWebSocketUpgrade,
  offeredProtocols,
  selectProtocol,
} from './handshake.ts'
export type {
  HubMember,
  WSConnections,
  WSHelperInstance,
  WSHub,
  WSHubOptions,
  WSNativePubSub,
  WSRuntimeLimits,
} from './hub.ts'
export { createWebSocketHub, helperInstance } from './hub.ts'
export type { ResolvedLimits, WSHeartbeat, WSLimits, WSOriginPolicy } from './options.ts'
export { DEFAULT_HELPER_MAX_CONNECTIONS, DEFAULT_LIMITS, resolveLimits, validateLimits } from './options.ts'
export { compileOriginPolicy, normalizeOrigin, parseOrigin } from './origin.ts'
export type { WSRefusal, WSRefusalCause } from './refusal.ts'
export { refusalResponse } from './refusal.ts'
export type { RefusalLogLimits, WSLogger } from './refusal-log.ts'
export { createRefusalLog } from './refusal-log.ts'
export { checkOptionNames, LIMIT_NAMES, warnOnce } from './settings-check.ts'
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
export { HOP_BY_HOP_HEADERS, handshakeHeaders, upgradeResponseHeaders } from './upgrade-headers.ts'
export { utf8Length } from './utf8.ts'
