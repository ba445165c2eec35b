/**
 * @module The adapter author's API of @honokit/ws-core: everything an app imports, plus what an adapter needs to
 * translate its runtime (transport, connection lifecycle, hub, pending upgrades, native-limit rules, handshake and
 * admission pieces). See "Writing an adapter" in the README.
 */

export {
  checkCapacity,
  checkOrigin,
  isSameOrigin,
  RETRY_AFTER_SECONDS,
  refuseUnsupported,
} from './admission.ts'
export { isSendableCloseCode, MAX_CLOSE_REASON_BYTES, normalizeCloseArgs } from './close-code.ts'
export { connectSocket, createConnection } from './connect.ts'
export type {
  ConnectionSetup,
  RouteCounter,
  WSCloseCause,
  WSConnection,
  WSConnectionInit,
  WSTransport,
} from './connection-types.ts'
export { toExactArrayBuffer, toSendable } from './data.ts'
export type { ServerOrigin } from './forwarded.ts'
export { forwardedOrigin, serverOrigin } from './forwarded.ts'
export {
  checkHandshake,
  hasToken,
  isWebSocketUpgrade,
  offeredProtocols,
  selectProtocol,
  upgradeRequired,
} from './handshake.ts'
export { helperInstance } from './helper-instance.ts'
export { createWebSocketHub } from './hub.ts'
export type { HubMember, WSHub, WSNativePubSub, WSRuntimeLimits } from './hub-types.ts'
export * from './index.ts'
export type { NativeOversize } from './native-limits.ts'
export { nativeBackpressureLimit, nativeMaxPayload } from './native-limits.ts'
export type { ResolvedLimits } from './options.ts'
export { resolveLimits, validateLimits } from './options.ts'
export { compileOriginPolicy, normalizeOrigin, parseOrigin } from './origin.ts'
export { notWiredError, PendingUpgrades } from './pending-upgrades.ts'
export { refusalResponse } from './refusal.ts'
export type { RefusalLogLimits } from './refusal-log.ts'
export { createRefusalLog } from './refusal-log.ts'
export { acceptedResponse, headerLines, responseBytes, takeAccepted } from './server-owned.ts'
export { checkOptionNames, LIMIT_NAMES, warnOnce } from './settings-check.ts'
export { AcceptedUpgrade } from './upgrade.ts'
export {
  copyHeaders,
  HOP_BY_HOP_HEADERS,
  handshakeHeaders,
  upgradeResponseHeaders,
} from './upgrade-headers.ts'
export { utf8Length } from './utf8.ts'
