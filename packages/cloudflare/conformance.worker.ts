// The Worker the Cloudflare harness bundles: the fixture app served by the Worker itself (MODE=worker), from inside
// one Durable Object with the hibernation API (MODE=do), or by a Worker whose WebSocket routes are forwarded to a
// Durable Object by '@honokit/ws-cloudflare/durable' (MODE=forward), where the plain HTTP routes reach the object's
// sockets through `room()`.

import { DurableObject } from 'cloudflare:workers'
import { type ConformanceHelper, type ConnectionView, createConformanceApp } from '@honokit/ws-conformance'
import type { ExecutionContext } from 'hono'
import { createWebSocketObjects, roomOf } from './src/durable.ts'
import { createCloudflareWebSocket, createDurableWebSocket } from './src/index.ts'

interface Env {
  MODE: 'worker' | 'do' | 'forward'
  OBJECT: {
    idFromName(name: string): unknown
    get(id: unknown): { fetch(request: Request): Promise<Response> }
  }
}

// workerd treats `Upgrade` as hop-by-hop and removes it from every response that is not a 101 (seen on the 426).
const noUpgradeOnRefusal = {
  supported: false,
  reason: 'workerd removes the Upgrade header from responses that are not a 101',
} as const
// The limits workerd cannot honour are refused by the adapter; these are the scenarios they would run.
const workerd = {
  upgradeHeaderOnRefusal: noUpgradeOnRefusal,
  serverPing: { supported: false, reason: "workerd's WebSocket cannot send ping frames" },
  bufferedAmount: { supported: false, reason: 'workerd does not report how much data waits to be sent' },
  strictUtf8: {
    supported: false,
    reason:
      'workerd decodes invalid UTF-8 in text messages and close reasons with U+FFFD and delivers it (61 C3 28 arrives ' +
      'as "a\\uFFFD("); the Worker only ever sees the decoded string',
  },
  maskedFramesOnly: { supported: false, reason: 'workerd accepts and delivers unmasked client frames' },
  strictControlFrames: {
    supported: false,
    reason:
      'workerd answers a ping of 126 bytes or with a reserved bit set, and accepts a Close frame over 125 bytes',
  },
  closeFrameBody: {
    supported: false,
    reason:
      'workerd reports a Close frame carrying code 1005 or a 1-byte body as 1005, like an empty one: the Worker cannot ' +
      'tell them apart to answer 1002',
  },
  streamingPayloadLimit: {
    supported: false,
    reason:
      "workerd reads a whole message up to its own 32 MiB before the Worker sees it: a route's maxPayload is checked " +
      'once the message is complete',
  },
} as const

const workerApp = createConformanceApp(createCloudflareWebSocket(), {
  capabilities: {
    ...workerd,
    strictCloseCodes: {
      supported: false,
      reason:
        "workerd answers a client's Close frame itself (compatibility date 2026-04-07 and later) and echoes its code, " +
        'even one that may not be sent (999, 1006, 2999); onClose still reports 1002',
    },
    crossConnectionSend: {
      supported: false,
      reason: 'a Worker may only use a WebSocket from the request that opened it (a Durable Object can)',
    },
  },
})

export class ConformanceObject extends DurableObject<Env> {
  sockets = createDurableWebSocket(this.ctx, { env: this.env, perMessageDeflate: true })
  app = createConformanceApp(this.sockets, {
    capabilities: {
      ...workerd,
      hibernation: true,
      perMessageDeflate: true,
      compressPerSend: {
        supported: false,
        reason:
          'workerd compresses every message once permessage-deflate is negotiated; send takes no compress option',
      },
      promptServerClose: {
        supported: false,
        reason:
          'workerd keeps the TCP connection of a hibernatable socket open after a closing handshake the object ' +
          'started, until the object idles (~10 s); the Close frame and its code arrive at once',
      },
    },
  })

  fetch(request: Request) {
    return this.app.fetch(request, this.env)
  }
  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    this.sockets.webSocketMessage(ws, message)
  }
  webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean) {
    this.sockets.webSocketClose(ws, code, reason, wasClean)
  }
  webSocketError(ws: WebSocket, error: unknown) {
    this.sockets.webSocketError(ws, error)
  }
}

// Every route of the fixture forwards to the one object `conformance` (so /stats and /shutdown see them all).
const objects = createWebSocketObjects({ binding: 'OBJECT', room: () => 'conformance' })
let workerEnv: Env | undefined
const room = () => objects.room(workerEnv, 'conformance')
// The fixture's instance API, answered by the object: each call is a request from the Worker to it.
const forwarded: ConformanceHelper = {
  upgradeWebSocket: objects.upgradeWebSocket,
  publish: (topic, data) => room().publish(topic, data),
  connections: {
    get size() {
      return room()
        .stats()
        .then((s) => s.connections)
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<ConnectionView> {
      for (const c of await room().connections()) {
        yield { url: new URL(c.url), isSubscribed: (topic: string) => c.topics.includes(topic) }
      }
    },
  },
  shutdown: (options) => room().shutdown(options),
}
// The fixture app is built once in the Worker's module; the object that runs a connection's handlers is told by
// its room (a woken object has a new one).
const objectNames = new WeakMap<object, string>()
const forwardApp = createConformanceApp(forwarded, {
  instanceOf(c) {
    const sockets = roomOf(c)
    if (!objectNames.has(sockets)) objectNames.set(sockets, Math.random().toString(36).slice(2))
    return objectNames.get(sockets)!
  },
  capabilities: {
    ...workerd,
    hibernation: true,
    directForm: {
      supported: false,
      reason:
        "handlers made inside a Worker route belong to the Worker's request and cannot move into the Durable " +
        'Object: a forwarded route takes the middleware form upgradeWebSocket((c) => events)',
    },
    promptServerClose: {
      supported: false,
      reason:
        'workerd keeps the TCP connection of a hibernatable socket open after a closing handshake the object ' +
        'started, until the object idles (~10 s); the Close frame and its code arrive at once',
    },
  },
})
export class ForwardObject extends objects.WebSocketObject {}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (env.MODE === 'do') return env.OBJECT.get(env.OBJECT.idFromName('conformance')).fetch(request)
    if (env.MODE === 'forward') {
      workerEnv = env
      return forwardApp.fetch(request, env, ctx)
    }
    return workerApp.fetch(request, env, ctx)
  },
}
