// Conformance harness: serves the fixture app on PORT with @honokit/ws-deno. Run by `pnpm conformance`
// (with --v8-flags=--expose-gc, so the churn check measures memory after a collection).
import { createConformanceApp } from '@honokit/ws-conformance'
import { createDenoWebSocket } from './src/index.ts'

const helper = createDenoWebSocket()
const gc = (globalThis as { gc?: () => void }).gc
const app = createConformanceApp(helper, {
  capabilities: {
    protocolErrorClose: {
      supported: false,
      reason:
        'Deno ends TCP without a Close frame for reserved bits and opcodes, bad fragmentation, bad control frames and ' +
        'invalid UTF-8 (the client sees 1006, not 1002/1007); onClose still runs once, not clean',
    },
    maskedFramesOnly: { supported: false, reason: 'Deno accepts and delivers unmasked client frames' },
    strictControlFrames: {
      supported: false,
      reason: 'Deno accepts a Close frame over 125 bytes and answers it',
    },
    streamingPayloadLimit: {
      supported: false,
      reason:
        'Deno.upgradeWebSocket has no size limit but its own 64 MiB per frame and assembles fragmented messages ' +
        'without a bound: maxPayload is checked once a message is complete',
    },
    perMessageDeflate: {
      supported: false,
      reason: 'Deno.upgradeWebSocket never negotiates permessage-deflate',
    },
    closeHandshakeReport: {
      supported: false,
      reason:
        "Deno fires close with wasClean true once the server's close() is sent, also when the peer never answers",
    },
  },
  memoryUsage: gc
    ? () => {
        gc()
        return Deno.memoryUsage().heapUsed
      }
    : undefined,
})
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, app.fetch)
