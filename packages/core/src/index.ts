/** @module Hono's WebSocket helper API with one set of guarantees, shared by every @honokit/ws adapter. */

export { isSendableCloseCode, MAX_CLOSE_REASON_BYTES, normalizeCloseArgs } from './close-code.ts'
export type { WSConnection, WSConnectionInit } from './connection.ts'
export { createConnection, HANDLER_ERROR_CLOSE_CODE } from './connection.ts'
export { WSContext } from './context.ts'
export { toExactArrayBuffer, toSendable } from './data.ts'
export { createWSMessageEvent, defineWebSocketHelper } from './define-helper.ts'
export {
  checkHandshake,
  hasToken,
  isWebSocketUpgrade,
  offeredProtocols,
  selectProtocol,
} from './handshake.ts'
export type {
  SendOptions,
  UpgradeWebSocket,
  WebSocketHelperDefineContext,
  WebSocketHelperDefineHandler,
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
