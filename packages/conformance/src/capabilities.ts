/**
 * What a runtime may be unable to do; each scenario that needs one names it, and is skipped with the reason.
 * Most are supported unless a harness declares otherwise; `hibernation` is a feature only some runtimes have, so it
 * is unsupported unless declared.
 */
export const CAPABILITIES = {
  rawSocket: {
    means:
      'the suite reaches the server over a real TCP socket: hand-written HTTP requests and frames, dropped connections',
    default: true,
  },
  upgradeHeaders: {
    means: 'headers set by middleware before the upgrade are sent on the 101 response',
    default: true,
  },
  lateUpgradeHeaders: {
    means:
      'headers that middleware sets after `await next()` (`secureHeaders()`, `timing()`) are sent on the 101 response',
    default: true,
  },
  pipelinedFrames: {
    means: 'frames a client sends in the same packet as its upgrade request are delivered',
    default: true,
  },
  upgradeHeaderOnRefusal: {
    means: 'an `Upgrade` header on a non-101 response (the 426 of the direct form) reaches the client',
    default: true,
  },
  directForm: {
    means: 'the direct form `upgradeWebSocket(c, events)`, with handlers made inside the route, upgrades',
    default: true,
  },
  promptServerClose: {
    means: 'after a closing handshake the server started, the server ends the TCP connection itself, at once',
    default: true,
  },
  serverPing: {
    means: 'the server can ping a peer and drop one that stops answering (the heartbeat)',
    default: true,
  },
  bufferedAmount: {
    means: "the runtime reports how many bytes wait in a connection's send buffer (backpressure)",
    default: true,
  },
  crossConnectionSend: {
    means: 'one connection, or an HTTP route, can send on other connections (pub/sub, graceful shutdown)',
    default: true,
  },
  memoryReport: {
    means: "the harness reports the server process's memory, for the churn check",
    default: true,
  },
  protocolErrorClose: {
    means:
      'a frame that breaks RFC 6455 (reserved bits or opcodes, bad fragmentation, bad control frames, invalid close ' +
      'codes, invalid UTF-8) is answered with a Close frame (1002, 1007 or 1009) before TCP ends, not a bare TCP drop',
    default: true,
  },
  strictUtf8: {
    means:
      'invalid UTF-8 in a text message or a close reason fails the connection (1007) instead of reaching onMessage',
    default: true,
  },
  strictControlFrames: {
    means: 'a ping or pong over 125 bytes, or a fragmented control frame, fails the connection (1002)',
    default: true,
  },
  maskedFramesOnly: {
    means: 'an unmasked client frame fails the connection (1002), as RFC 6455 §5.1 requires of a server',
    default: true,
  },
  closeHandshakeReport: {
    means:
      "onClose's `wasClean` tells whether the peer answered a Close the server sent (the runtime reports the end of the closing handshake, not its start)",
    default: true,
  },
  strictCloseCodes: {
    means:
      'a client Close frame with a code that may not be sent (999, 1005, 1006, 2999, …) or a 1-byte body is answered ' +
      'with 1002, never echoed',
    default: true,
  },
  closeFrameBody: {
    means:
      'the runtime tells an empty Close frame from one carrying code 1005 or a 1-byte body (both fail with 1002)',
    default: true,
  },
  streamingPayloadLimit: {
    means:
      "a route's maxPayload is enforced while a message arrives (frame header, each fragment), not once it was buffered whole",
    default: true,
  },
  utf8FailFast: {
    means:
      'a text message is failed (1007) as soon as a fragment holds invalid UTF-8, before the final fragment',
    default: true,
  },
  perMessageDeflate: {
    means:
      'the helper under test negotiates permessage-deflate when a client offers it (created with `perMessageDeflate: true`)',
    default: {
      supported: false,
      reason: 'the helper under test keeps the default `perMessageDeflate: false`',
    },
  },
  compressPerSend: {
    means:
      "with permessage-deflate negotiated, send's `compress` option chooses per message whether it is compressed",
    default: true,
  },
  hibernation: {
    means: 'connections survive their server object being evicted and woken again (Durable Objects)',
    default: {
      supported: false,
      reason: 'connections live in the server process for their whole life; nothing hibernates to be woken',
    },
  },
} as const

/** The name of a capability a scenario can require. */
export type CapabilityName = keyof typeof CAPABILITIES

/** A declared capability: `true`, or `false` plus the reason the runtime cannot do it. */
export type CapabilityDeclaration = true | { supported: false; reason: string }

/** The capabilities a harness declares; anything not declared takes its default. */
export type Capabilities = Partial<Record<CapabilityName, CapabilityDeclaration>>

/** The capability report served by the fixture app at `GET /capabilities`. */
export type CapabilityReport = Record<CapabilityName, { supported: boolean; reason?: string }>

/** Expands a harness's declarations into the full report; a `false` without a reason is refused. */
export function capabilityReport(declared: Capabilities = {}): CapabilityReport {
  const report = {} as CapabilityReport
  for (const name of Object.keys(CAPABILITIES) as CapabilityName[]) {
    const d: CapabilityDeclaration = declared[name] ?? CAPABILITIES[name].default
    if (d === true) report[name] = { supported: true }
    else if (!d.reason)
      throw new Error(`capability ${name} is declared unsupported without a reason: give one.`)
    else report[name] = { supported: false, reason: d.reason }
  }
  return report
}
