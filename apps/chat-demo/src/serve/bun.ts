// The chat on Bun: `bun run src/serve/bun.ts`.
import { createBunWebSocket } from '@honokit/ws-bun'
import { createChatApp } from '../app.ts'

const helper = createBunWebSocket()
const port = Number(process.env.PORT ?? 3000)
Bun.serve({ port, fetch: createChatApp(helper).fetch, websocket: helper.websocket })
console.log(`chat on http://localhost:${port}`)
