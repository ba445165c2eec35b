// The part of the Deno namespace the harness and the test fixtures use, for type-checking them under Node's tsc.
declare namespace Deno {
  const env: { get(name: string): string | undefined }
  function memoryUsage(): { heapUsed: number; rss: number }
  function serve(
    options: { port: number; hostname: string; onListen?: (addr: unknown) => void },
    handler: (request: Request) => Response | Promise<Response>
  ): unknown
}
