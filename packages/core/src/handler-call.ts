import type { WSContext } from './context.ts'
import { isThenable } from './thenable.ts'
import type { WSEvents } from './types.ts'

const noop = () => {}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** An application handler of `WSEvents`, or none. */
export type Handler<T> = ((evt: any, ws: WSContext<T>) => unknown) | undefined

/** Who is told when a handler failed (the connection: it closes with 1011). */
export interface HandlerOwner {
  handlerFailed(error: unknown, where: string): void
}

/**
 * Calls an application handler with `this` the events object. A throw or a rejection goes to
 * `owner.handlerFailed` (with `where`, the handler's name), never to the caller; returns a promise only when the
 * handler returned one. No closure is made unless the handler returned a promise.
 */
export function callHandler<T>(
  events: WSEvents<T>,
  where: string,
  handler: Handler<T>,
  evt: object,
  ws: WSContext<T>,
  owner: HandlerOwner
): Promise<void> | undefined {
  if (!handler) return undefined
  try {
    return settle(handler.call(events, evt, ws), where, owner)
  } catch (e) {
    owner.handlerFailed(e, where)
  }
  return undefined
}

/**
 * What a handler returned: a promise (or thenable) is awaited and its rejection goes to `owner.handlerFailed`;
 * anything else is done with. For a caller that calls the handler inside its own `try` (the message path).
 */
export function settle(result: unknown, where: string, owner: HandlerOwner): Promise<void> | undefined {
  // The closure lives in `awaitHandler`: one in this function kept Bun's JIT from inlining it into the message path
  // (bench/README.md, "The message path").
  return isThenable(result) ? awaitHandler(result, where, owner) : undefined
}

function awaitHandler(result: PromiseLike<unknown>, where: string, owner: HandlerOwner): Promise<void> {
  return Promise.resolve(result).then(noop, (e) => owner.handlerFailed(e, where))
}

/** Delivers `error` (from `where`) to `onError`, or logs it when there is none; `onError`'s own failures are logged. */
export function reportError<T>(
  events: WSEvents<T>,
  ws: WSContext<T>,
  logger: Pick<Console, 'error'>,
  error: unknown,
  where: string
): void {
  const onError = events.onError
  if (!onError) {
    logger.error(`[honokit/ws] ${where} threw and no onError handler is set:`, error)
    return
  }
  const logFailure = (e: unknown) =>
    logger.error(`[honokit/ws] onError threw while handling an error from ${where}:`, e)
  try {
    const r = onError.call(events, { type: 'error', error, message: describe(error) }, ws)
    if (isThenable(r)) r.then(undefined, logFailure)
  } catch (e) {
    logFailure(e)
  }
}
