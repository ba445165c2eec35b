import type { Scenario } from '../runner/scenario.ts'
import { close } from './close.ts'
import { errors } from './errors.ts'
import { handshake } from './handshake.ts'
import { lifecycle } from './lifecycle.ts'
import { limits } from './limits.ts'
import { messages } from './messages.ts'
import { origins } from './origins.ts'
import { protocol } from './protocol.ts'
import { pubsub } from './pubsub.ts'
import { rfcClose } from './rfc-close.ts'
import { rfcCompression } from './rfc-compression.ts'
import { rfcFragments } from './rfc-fragments.ts'
import { rfcFrames } from './rfc-frames.ts'
import { rfcLimits } from './rfc-limits.ts'
import { shutdown } from './shutdown.ts'

/** The RFC 6455 section speaks raw frames over TCP: it needs a real socket (`rawSocket`). */
const overRawSocket = (s: Scenario): Scenario => ({ ...s, requires: ['rawSocket', ...(s.requires ?? [])] })

/** Every scenario of the suite, grouped by area in a fixed order; shutdown is last (it stops the helper). */
export const scenarios: Scenario[] = [
  ...handshake,
  ...protocol,
  ...lifecycle,
  ...messages,
  ...close,
  ...errors,
  ...limits,
  ...origins,
  ...pubsub,
  ...[...rfcFrames, ...rfcFragments, ...rfcClose, ...rfcLimits, ...rfcCompression].map(overRawSocket),
  ...shutdown,
]
