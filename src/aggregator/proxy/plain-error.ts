// The aggregator's own error responses are plain text, as Go's http.Error writes them
// (spec 2.3, 2.10): not Status objects, because kubectl's messages depend on that.
import type { ServerResponse } from 'node:http';

export const PROXY_MESSAGES = {
  serviceUnavailable: 'service unavailable',
  missingUser: 'missing user',
  redirect: 'the backend attempted to redirect this request, which is not permitted',
  reachService: (err: string) => `error trying to reach service: ${err}`,
  dialBackend: (err: string) => `error dialing backend: ${err}`,
  invalidUpgrade: (code: number) => `invalid upgrade response: status code ${code}`,
} as const;

export function writePlain(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${text}\n`);
}

/** The same response as raw bytes, for a hijacked (upgrade) connection. */
export function plainResponseBytes(code: number, reason: string, text: string): string {
  const body = `${text}\n`;
  return `HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
