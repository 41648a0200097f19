// Calls a Handler in-process and buffers its answer, as the aggregator's internal
// requests to the local delegate do upstream (a ResponseRecorder): the local half of
// aggregated discovery and OpenAPI. The request is HTTP/1.0 so the response is not
// chunked; the bytes written to a capturing socket are split into head and body.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { UserInfo } from '../apiserver/authn/user.ts';
import { withRequestInfo, withUser, type Handler } from '../apiserver/request/context.ts';
import { parseRequestInfo } from '../apiserver/request/request-info.ts';

class CaptureSocket extends Socket {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (err?: Error | null) => void): void {
    for (const c of chunks) this.chunks.push(Buffer.from(c.chunk));
    cb();
  }
}

export interface InProcessResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface InProcessRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  user: UserInfo;
  timeoutMs?: number;
}

function parse(raw: Buffer): InProcessResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 500);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status, headers, body: end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4) };
}

export function invokeHandler(handler: Handler, request: InProcessRequest): Promise<InProcessResponse> {
  const socket = new CaptureSocket();
  const req = new IncomingMessage(socket);
  req.method = request.method ?? 'GET';
  req.url = request.path;
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 0;
  req.httpVersion = '1.0';
  const entries = Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const);
  req.rawHeaders = entries.flat();
  req.headers = Object.fromEntries(entries);
  req.headersDistinct = Object.fromEntries(entries.map(([k, v]) => [k, [v]]));
  req.push(null);
  const url = new URL(request.path, 'https://in-process.invalid');
  withRequestInfo(req, parseRequestInfo(req.method, url.pathname, url.searchParams));
  withUser(req, { user: request.user });
  const res = new ServerResponse(req);
  res.assignSocket(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      res.destroy();
      reject(new Error(`in-process ${req.method} ${request.path} timed out`));
    }, request.timeoutMs ?? 60_000);
    res.on('finish', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(socket.chunks)));
    });
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}
