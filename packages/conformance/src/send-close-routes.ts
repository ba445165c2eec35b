import type { UpgradeWebSocket, WSContext, WSEvents } from '@honokit/ws-core'
import type { Hono } from 'hono'
import type { EventLog } from './log.ts'
import { errorText } from './recording.ts'

type Recording = (id: string, extra?: Partial<WSEvents<any>>) => WSEvents<any>

/** Routes of sending and closing: close validation, binary views, send after close. */
export function addSendCloseRoutes(
  app: Hono,
  upgradeWebSocket: UpgradeWebSocket<any, any>,
  log: EventLog,
  recording: Recording,
  idOf: (url: string) => string
): void {
  // Close validation: each bad call must throw a clear error; the results go to the client.
  app.get(
    '/ws/close-validation',
    upgradeWebSocket(() => ({
      onOpen(_e, ws) {
        const attempt = (code: number | undefined, reason?: string) => {
          try {
            ws.close(code, reason)
            return { code, ok: true }
          } catch (e) {
            return { code, ok: false, error: errorText(e) }
          }
        }
        const results = [
          attempt(999),
          attempt(1004),
          attempt(1005),
          attempt(1006),
          attempt(1015),
          attempt(2000),
          attempt(5000),
          attempt(1000.5),
          attempt(4000, 'x'.repeat(124)),
          attempt(4000, 'é'.repeat(62)),
        ]
        ws.send(JSON.stringify(results))
        ws.close(4000, `${'é'.repeat(61)}x`)
      },
    }))
  )

  // Binary sends: views with offsets send only their own bytes.
  app.get(
    '/ws/send-views',
    upgradeWebSocket(() => ({
      onOpen(_e, ws) {
        const backing = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        ws.send(backing.subarray(2, 5))
        ws.send(new DataView(backing.buffer, 6, 3))
        ws.send(backing.buffer.slice(8))
        ws.send(new Uint16Array(backing.buffer, 2, 2))
        ws.send(new Uint8Array(0))
        ws.send('done')
      },
    }))
  )

  // send() on a closed connection does not throw; send() with an unsupported type throws a clear error.
  app.get(
    '/ws/send-after-close',
    upgradeWebSocket((c) => {
      const id = idOf(c.req.url)
      const trySend = (ws: WSContext<any>, where: string, data: unknown) => {
        try {
          ws.send(data as string)
          log.add(id, { event: 'send', where, threw: false })
        } catch (e) {
          log.add(id, { event: 'send', where, threw: true, error: errorText(e) })
        }
      }
      return recording(id, {
        onOpen(_e, ws) {
          trySend(ws, 'invalid-type', 42)
          ws.close(4001, 'closing')
          trySend(ws, 'after-close-call', 'late')
        },
        onClose(_e, ws) {
          trySend(ws, 'in-onClose', 'later')
          return new Promise<void>((r) => setTimeout(r, 10)).then(() =>
            trySend(ws, 'after-onClose', 'latest')
          )
        },
      })
    })
  )
}
