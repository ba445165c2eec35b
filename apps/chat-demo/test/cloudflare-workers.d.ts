// The part of `cloudflare:workers` the Cloudflare entry uses, for type-checking it under Node's tsc.
declare module 'cloudflare:workers' {
  export class DurableObject<Env = unknown> {
    ctx: import('@honokit/ws-cloudflare').DurableObjectStateLike
    env: Env
    constructor(ctx: unknown, env: Env)
  }
}
