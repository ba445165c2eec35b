import type { WSContext, WSEvents } from '@honokit/ws-core'
import type { EventLog } from './log.ts'

/** What a handler received: its kind and size. */
export function describe(data: unknown): { kind: string; size: number } {
  if (typeof data === 'string') return { kind: 'string', size: data.length }
  if (data instanceof ArrayBuffer) return { kind: 'arraybuffer', size: data.byteLength }
  return { kind: `other:${(data as object | null)?.constructor?.name ?? typeof data}`, size: -1 }
}

/** An error as the log shows it: `Name: message`, or the thrown value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
}

/** Makes the events that record every server-side fact a scenario may check, and echo what they receive. */
export function createRecording(
  log: EventLog
): (id: string, extra?: Partial<WSEvents<any>>) => WSEvents<any> {
  return (id: string, extra: Partial<WSEvents<any>> = {}): WSEvents<any> => {
    let first: WSContext<any> | undefined
    const same = (ws: WSContext<any>) => {
      first ??= ws
      return first === ws
    }
    return {
      onOpen(_evt, ws) {
        log.add(id, {
          event: 'open',
          readyState: ws.readyState,
          protocol: ws.protocol,
          url: ws.url?.href ?? null,
          hasRaw: ws.raw !== undefined && ws.raw !== null,
          same: same(ws),
        })
        return extra.onOpen?.(_evt, ws)
      },
      onMessage(evt, ws) {
        log.add(id, { event: 'message', ...describe(evt.data), readyState: ws.readyState, same: same(ws) })
        if (extra.onMessage) return extra.onMessage(evt, ws)
        ws.send(evt.data)
      },
      onClose(evt, ws) {
        log.add(id, {
          event: 'close',
          code: evt.code,
          reason: evt.reason,
          wasClean: evt.wasClean,
          readyState: ws.readyState,
          same: same(ws),
        })
        const more = extra.onClose?.(evt, ws)
        // Work after onClose is returned as a promise, so a runtime that must be told to keep running (a Worker's
        // request context ends with its socket) runs it too.
        return Promise.resolve(more)
          .then(() => new Promise((r) => setTimeout(r, 20)))
          .then(() => log.add(id, { event: 'after-close', readyState: ws.readyState }))
      },
      onError(evt, ws) {
        log.add(id, { event: 'error', error: errorText(evt.error), same: same(ws) })
        return extra.onError?.(evt, ws)
      },
      onDrain: extra.onDrain,
    }
  }
}
