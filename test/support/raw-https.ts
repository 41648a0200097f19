// A raw TLS client for bad-input tests: writes exactly the bytes given (slowly if asked),
// and reports the status line, headers and body the server answered, or that it closed
// the connection without an answer. Every wait is bounded.
import { connect, type TLSSocket } from 'node:tls';

export interface RawTarget {
  port: number;
  ca: string;
  cert?: string;
  key?: string;
}

export interface RawResponse {
  /** 0 when the server closed without answering. */
  status: number;
  head: string;
  body: string;
  /** The server closed the connection (after answering or not). */
  closed: boolean;
  /** How long the exchange took, ms. */
  ms: number;
}

export function rawConnect(target: RawTarget): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: target.port, ca: target.ca, cert: target.cert, key: target.key, servername: 'localhost' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Parses whatever arrived: status line, head, and the body (chunked bodies left as sent). */
export function parseRaw(data: Buffer, closed: boolean, ms: number): RawResponse {
  const text = data.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  let body = split < 0 ? '' : text.slice(split + 4);
  if (/^transfer-encoding:\s*chunked/im.test(head)) body = body.replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n|\r\n0\r\n\r\n$/gim, '');
  return { status: m ? Number(m[1]) : 0, head, body, closed, ms };
}

/**
 * Sends `parts` (a delay in ms between them), then waits until the server closes the
 * connection, a complete response arrived (`untilResponse`), or `timeoutMs` passed.
 */
export async function rawExchange(target: RawTarget, parts: Array<string | Buffer | number>, o: { timeoutMs?: number; untilResponse?: boolean } = {}): Promise<RawResponse> {
  const start = Date.now();
  const socket = await rawConnect(target);
  const chunks: Buffer[] = [];
  let closed = false;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, o.timeoutMs ?? 10_000);
    const finish = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (o.untilResponse && complete(Buffer.concat(chunks))) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => {});
  });
  void (async () => {
    for (const part of parts) {
      if (closed || socket.destroyed) return;
      if (typeof part === 'number') await new Promise((r) => setTimeout(r, part));
      else socket.write(part);
    }
  })().catch(() => {});
  await done;
  socket.destroy();
  return parseRaw(Buffer.concat(chunks), closed, Date.now() - start);
}

function complete(data: Buffer): boolean {
  const text = data.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const head = text.slice(0, split);
  const len = /^content-length:\s*(\d+)/im.exec(head);
  if (len) return data.length - split - 4 >= Number(len[1]);
  if (/^transfer-encoding:\s*chunked/im.test(head)) return text.endsWith('\r\n0\r\n\r\n');
  return false;
}

/** A request head with CRLFs; `headers` are written in order, duplicates allowed. */
export function requestHead(method: string, path: string, headers: Array<[string, string]>): string {
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}
