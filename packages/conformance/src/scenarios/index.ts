import type { Scenario } from '../runner/scenario.ts'
import { close } from './close.ts'
import { errors } from './errors.ts'
import { handshake } from './handshake.ts'
import { lifecycle } from './lifecycle.ts'
import { messages } from './messages.ts'
import { protocol } from './protocol.ts'

/** Every scenario of the suite, grouped by area in a fixed order. */
export const scenarios: Scenario[] = [
  ...handshake,
  ...protocol,
  ...lifecycle,
  ...messages,
  ...close,
  ...errors,
]
