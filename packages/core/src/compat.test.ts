import { Hono, type MiddlewareHandler } from 'hono'
import { hc } from 'hono/client'
import type {
  SendOptions as HonoSendOptions,
  UpgradeWebSocket as HonoUpgradeWebSocket,
  WSContext as HonoWSContext,
  WSContextInit as HonoWSContextInit,
  WSEvents as HonoWSEvents,
  WSMessageReceive as HonoWSMessageReceive,
  WSReadyState as HonoWSReadyState,
} from 'hono/ws'
import { WSContext as HonoWSContextClass } from 'hono/ws'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createConnection } from './connect.ts'
import { WSContext } from './context.ts'
import { createWSMessageEvent, defineWebSocketHelper } from './define-helper.ts'
import type { SendOptions, UpgradeWebSocket, WSEvents, WSMessageReceive, WSReadyState } from './types.ts'

/*
 * Handler code as users of hono/ws write it. Every block below must compile under `tsc -p tsconfig.json`: a
 * compile error here means code written for hono/ws does not type-check against @honokit/ws-core.
 */

// Methods annotated with the DOM event types, the second parameter left to inference.
const domMethods: WSEvents = {
  onOpen(evt: Event, ws) {
    ws.send(`opened by ${evt.type}`)
  },
  onMessage(evt: MessageEvent, ws) {
    ws.send(typeof evt.data === 'string' ? evt.data : 'binary')
  },
  onClose(evt: CloseEvent) {
    console.log(evt.code, evt.reason, evt.wasClean)
  },
  onError(evt: Event) {
    console.log(evt.type)
  },
}

// Arrow-function properties annotated with the DOM event types.
const domArrows: WSEvents = {
  onOpen: (_evt: Event, ws) => {
    ws.send('hi')
  },
  onMessage: (evt: MessageEvent, ws) => {
    ws.send(String(evt.data))
  },
  onClose: (evt: CloseEvent, ws) => {
    console.log(evt.code, ws.readyState)
  },
  onError: (evt: Event, ws) => {
    console.log(evt.type, ws.url)
  },
}

// A MessageEvent with a type argument, an ErrorEvent, and handlers declared as separate functions.
const typedMessages: WSEvents = {
  onMessage(evt: MessageEvent<string>, ws) {
    ws.send(evt.data.toUpperCase())
  },
  onError(evt: ErrorEvent) {
    console.log(evt.message, evt.error)
  },
}
const binaryMessages: WSEvents = {
  onMessage(evt: MessageEvent<ArrayBuffer | string>, ws) {
    ws.send(evt.data)
  },
}
function onMessage(evt: MessageEvent, ws: HonoWSContext): void {
  ws.send(String(evt.data))
}
function onClose(evt: CloseEvent): void {
  console.log(evt.code)
}
const separateFunctions: WSEvents = { onMessage, onClose }

/*
 * Binary never arrives as a Blob or a shared buffer, so core's WSMessageReceive is string | ArrayBuffer and an object
 * typed as core's WSEvents rejects hono/ws's MessageEvent<WSMessageReceive> (string | Blob | ArrayBufferLike).
 * upgradeWebSocket itself accepts such handlers through its WSAnnotatedEvents signatures (tests below).
 */
const honoReceive: WSEvents = {
  // @ts-expect-error TS2322: 'WSMessageEvent<WSMessageReceive>' is missing the following properties from type 'MessageEvent<WSMessageReceive>'
  onMessage(evt: MessageEvent<HonoWSMessageReceive>, ws) {
    ws.send(typeof evt.data === 'string' ? evt.data : 'binary')
  },
}

// The context annotated with hono/ws's WSContext.
const honoContext: WSEvents = {
  onMessage(evt: MessageEvent, ws: HonoWSContext) {
    ws.send(String(evt.data))
    ws.close(1000, 'bye')
  },
}

// Unannotated handlers, as in the hono documentation: the parameters are inferred.
const inferred: WSEvents<{ id: number }> = {
  onOpen(_evt, ws) {
    ws.raw?.id.toFixed()
  },
  onMessage(evt, ws) {
    const data: string | ArrayBuffer = evt.data
    ws.send(data)
  },
  onClose: (evt) => {
    console.log(evt.code, evt.reason, evt.wasClean)
  },
  onError: (evt) => {
    console.log(evt.error, evt.message)
  },
}

/*
 * Documented difference, same cause: events typed with hono/ws's own WSEvents (whose onMessage takes
 * MessageEvent<string | Blob | ArrayBufferLike>) are not core's WSEvents; import WSEvents from the adapter.
 */
const honoTyped: HonoWSEvents = {
  onMessage(evt, ws) {
    ws.send(String(evt.data))
  },
  onClose(evt) {
    console.log(evt.code)
  },
}
// @ts-expect-error TS2322: hono/ws WSEvents is not assignable to core WSEvents (types of property 'onMessage')
const fromHono: WSEvents = honoTyped
// Without onMessage, hono/ws's WSEvents is accepted.
const { onMessage: _dropped, ...honoWithoutMessage } = honoTyped
const fromHonoWithoutMessage: WSEvents = honoWithoutMessage

/*
 * Documented difference for adapter authors: core hands `send` exactly the bytes to write (string | Uint8Array over
 * the view), so an init typed with hono/ws's WSContextInit (whose send takes ArrayBuffer too) does not fit.
 */
declare const honoInit: HonoWSContextInit
// @ts-expect-error TS2345: hono/ws WSContextInit is not assignable to core WSContextInit (types of property 'send')
const fromHonoInit = (): WSContext => new WSContext(honoInit)

const upgradeWebSocket = defineWebSocketHelper(() => new Response(null))

// The middleware form on a route, events returned from createEvents with DOM-annotated handlers.
const app = new Hono().get(
  '/ws',
  upgradeWebSocket(() => ({
    onMessage(evt: MessageEvent, ws) {
      ws.send(String(evt.data))
    },
    onClose(evt: CloseEvent) {
      console.log(evt.code)
    },
    onError(evt: Event) {
      console.log(evt.type)
    },
  }))
)

// Handlers annotated with hono/ws's own types, passed to upgradeWebSocket: both forms accept them.
const annotatedApp = new Hono()
  .get(
    '/annotated',
    upgradeWebSocket(() => ({
      onOpen(evt: Event, ws: HonoWSContext) {
        ws.send(evt.type)
      },
      onMessage(evt: MessageEvent<HonoWSMessageReceive>, ws) {
        ws.send(typeof evt.data === 'string' ? evt.data : 'binary')
      },
      onClose(evt: CloseEvent, ws) {
        console.log(evt.code, ws.readyState)
      },
      onError(evt: Event, ws: HonoWSContext) {
        console.log(evt.type, ws.url)
      },
    }))
  )
  .get('/annotated-direct', (c) =>
    upgradeWebSocket(c, {
      onMessage: (evt: MessageEvent<HonoWSMessageReceive>, ws: HonoWSContext) => {
        ws.send(String(evt.data))
      },
    })
  )
  // An object typed with hono/ws's own WSEvents.
  .get(
    '/hono-typed',
    upgradeWebSocket(() => honoTyped)
  )

// Still refused: a handler that expects something core never delivers.
upgradeWebSocket(() => ({
  // @ts-expect-error TS2322: a message event has no `ports` of type number
  onMessage(evt: { data: string; ports: number }) {
    console.log(evt.ports)
  },
}))

// The direct form.
const directApp = new Hono().get('/direct', (c) =>
  upgradeWebSocket(c, {
    onMessage(evt: MessageEvent, ws) {
      ws.send(String(evt.data))
    },
  })
)

describe('hono/ws compatibility', () => {
  it('keeps the handler objects written for hono/ws', () => {
    const all = [
      domMethods,
      domArrows,
      typedMessages,
      binaryMessages,
      separateFunctions,
      honoReceive,
      honoContext,
      inferred,
      fromHono,
      fromHonoWithoutMessage,
    ]
    for (const events of all) {
      expect(typeof events).toBe('object')
    }
    expect(Object.keys(domMethods)).toEqual(['onOpen', 'onMessage', 'onClose', 'onError'])
    expect(fromHono).toBe(honoTyped)
    expect(Object.keys(fromHonoWithoutMessage)).toEqual(['onClose'])
    expect(typeof fromHonoInit).toBe('function')
  })

  it('runs DOM-annotated handlers with the events core delivers', () => {
    const log: unknown[] = []
    const sent: unknown[] = []
    const events: WSEvents = {
      onMessage(evt: MessageEvent, ws) {
        log.push(evt.data)
        ws.send(`echo:${evt.data}`)
      },
      onClose(evt: CloseEvent) {
        log.push(evt.code, evt.reason, evt.wasClean)
      },
    }
    const conn = createConnection(events, {
      raw: null,
      url: 'http://localhost/ws',
      protocol: '',
      readyState: () => 1,
      send: (data) => void sent.push(data),
      close() {},
    })
    conn.open()
    conn.message('ping')
    conn.closed(1000, 'bye')
    expect(log).toEqual(['ping', 1000, 'bye', true])
    expect(sent).toEqual(['echo:ping'])
  })

  it('registers routes with both forms', async () => {
    expect((await app.request('/ws')).status).toBe(404)
    expect((await annotatedApp.request('/annotated')).status).toBe(404)
    expect((await annotatedApp.request('/annotated-direct')).status).toBe(426)
    expect((await directApp.request('/direct')).status).toBe(426)
  })

  it('has the types of hono/ws', () => {
    expectTypeOf<WSReadyState>().toEqualTypeOf<HonoWSReadyState>()
    expectTypeOf<SendOptions>().toEqualTypeOf<HonoSendOptions>()
    expectTypeOf<WSMessageReceive>().toExtend<HonoWSMessageReceive>()
    expectTypeOf<WSContext>().toExtend<HonoWSContext>()
    // hono/ws's two signatures, plus two for handlers annotated with hono/ws's DOM types.
    expectTypeOf<UpgradeWebSocket<unknown, any, WSEvents>>().toExtend<
      HonoUpgradeWebSocket<unknown, any, WSEvents>
    >()
    expectTypeOf(upgradeWebSocket(() => ({}))).toEqualTypeOf<
      MiddlewareHandler<any, string, { outputFormat: 'ws' }>
    >()
    expectTypeOf(createWSMessageEvent('x')).toExtend<{ type: string; data: string }>()
    expectTypeOf(new WSContext({ send() {}, close() {}, readyState: 1 }).url).toEqualTypeOf<URL | null>()
    expect(createWSMessageEvent('x').type).toBe('message')
  })

  it('gives hc a $ws method on a route with upgradeWebSocket', () => {
    const client = hc<typeof app>('http://localhost')
    expectTypeOf(client.ws).toHaveProperty('$ws')
    expect(typeof client.ws.$ws).toBe('function')
  })
})

describe('contexts typed with hono/ws WSContext', () => {
  it('a Set of hono/ws contexts accepts the core context, which is an instance of it', () => {
    const clients = new Set<HonoWSContext>()
    const conn = createConnection(
      {},
      {
        raw: undefined,
        url: 'http://localhost/chat?room=a',
        protocol: '',
        readyState: () => 1,
        send: () => {},
        close: () => {},
      }
    )
    clients.add(conn.ws)
    expect(conn.ws).toBeInstanceOf(HonoWSContextClass)
    expect(clients.has(conn.ws)).toBe(true)
  })

  it('parses the URL once and keeps the same URL object, as hono/ws does', () => {
    let reads = 0
    const init = {
      send() {},
      close() {},
      readyState: 1 as const,
      get url() {
        reads++
        return 'http://localhost/x?y=1'
      },
    }
    const ws = new WSContext(init)
    expect(ws.url?.search).toBe('?y=1')
    expect(ws.url).toBe(ws.url)
    expect(reads).toBe(1)
  })
})
