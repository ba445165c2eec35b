/** @module Carries honokit ws topic publishes between server instances through Redis pub/sub. */
export type {
  RedisBroker,
  RedisBrokerLogger,
  RedisBrokerOptions,
  RedisBrokerState,
  RedisConnectionEvents,
  RedisPublisher,
  RedisSubscriber,
} from './broker.ts'
export { createRedisBroker } from './broker.ts'
export { decodeMessage, encodeMessage } from './frame.ts'
