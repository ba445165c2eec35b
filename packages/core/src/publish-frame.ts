import type { WSTransport } from './connection-types.ts'

/**
 * One publish's frame: encoded by the first subscriber's transport that can (`WSTransport.frame`) and reused by
 * every other subscriber on the same transport. The hub makes one per publish.
 */
export class PublishFrame {
  #transport: WSTransport<any> | undefined = undefined
  #frame: unknown = undefined

  /** The frame of `payload` for `transport`, encoded on the first call for it. */
  for(
    transport: WSTransport<any> & Required<Pick<WSTransport<any>, 'frame'>>,
    payload: string | Uint8Array
  ): unknown {
    if (this.#transport !== transport) {
      this.#frame = transport.frame(payload)
      this.#transport = transport
    }
    return this.#frame
  }
}
