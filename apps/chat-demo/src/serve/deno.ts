// The chat on Deno: `deno run --allow-net --allow-env=PORT,HOST src/serve/deno.ts`.
import { createDenoWebSocket } from '@honokit/ws-deno'
import { createChatApp } from '../app.ts'

const port = Number(Deno.env.get('PORT') ?? 3000)
const hostname = Deno.env.get('HOST') ?? '0.0.0.0'
Deno.serve({ port, hostname }, createChatApp(createDenoWebSocket()).fetch)
