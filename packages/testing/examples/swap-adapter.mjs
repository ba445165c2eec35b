// Node's module hooks: every import of the adapter resolves to @honokit/ws-testing instead.
import { register } from 'node:module'

const hooks = `export async function resolve(specifier, context, next) {
  return next(specifier === '@honokit/ws-node' ? '@honokit/ws-testing' : specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)
