// The part of `cloudflare:workers` the Worker files use, for type-checking them under Node's tsc.
declare module 'cloudflare:workers' {
  export class DurableObject<Env = unknown> {
    ctx: import('../src/cloudflare-like.ts').DurableObjectStateLike
    env: Env
    constructor(ctx: unknown, env: Env)
  }
}
