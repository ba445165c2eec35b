import type { WSContext, WSEvents } from '@honokit/ws-core'

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'
}

/**
 * Returns `events` with `onOpen` and `onMessage` wrapped so that `save` runs after each returns, or once its promise
 * settles (a failure of `save`, such as data too large to keep, fails that handler: `onError`, close 1011).
 */
export function persistingEvents<T>(events: WSEvents<T>, save: () => void): WSEvents<T> {
  const wrap = (name: 'onOpen' | 'onMessage') => {
    const fn = events[name] as ((evt: unknown, ws: WSContext<T>) => unknown) | undefined
    if (!fn) return undefined
    return (evt: unknown, ws: WSContext<T>) => {
      const r = fn.call(events, evt, ws)
      if (!isThenable(r)) {
        save()
        return r
      }
      return Promise.resolve(r).then(
        (v) => {
          save()
          return v
        },
        (e) => {
          save()
          throw e
        }
      )
    }
  }
  return {
    onOpen: wrap('onOpen'),
    onMessage: wrap('onMessage'),
    onClose: events.onClose?.bind(events),
    onError: events.onError?.bind(events),
    onDrain: events.onDrain?.bind(events),
  } as WSEvents<T>
}
