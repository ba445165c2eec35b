/** Where the chat listens unless `HOST` says otherwise: this machine only. `HOST=0.0.0.0` admits other machines. */
export const DEFAULT_HOST = '127.0.0.1'

const loopback = new Set(['127.0.0.1', 'localhost', '::1'])

/** The line an entry prints once it listens: the URL to open, and who can reach it. */
export function listeningLine(host: string, port: number, extra = ''): string {
  const url = loopback.has(host)
    ? `http://localhost:${port}`
    : host === '0.0.0.0' || host === '::'
      ? `http://localhost:${port} (listening on every interface, ${host})`
      : `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const who = loopback.has(host) ? ` (${host}: this machine only; HOST=0.0.0.0 admits others)` : ''
  return `chat on ${url}${who}${extra}`
}
