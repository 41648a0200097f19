// Relays one backend response to the client through undici's dispatch handler interface
// (no Readable, no pipeline, no AbortSignal per request), the hot path of the proxy.
//  - A response with a Content-Length up to BUFFER_LIMIT is collected and answered with one
//    `res.end(body)`: head and body leave in one TLS write.
//  - Anything else (chunked: watch, large lists) streams: the head is flushed at once so a
//    watch client sees it before the first event, and each chunk is written as it arrives,
//    with backpressure (undici pauses the backend socket until the client drains).
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { CORS_RESPONSE_HEADERS, HOP_BY_HOP } from './headers.ts';

/** Responses this size or smaller are buffered and sent in one write. */
export const BUFFER_LIMIT = 64 * 1024;

const DROPPED = new Set<string>([...CORS_RESPONSE_HEADERS, ...HOP_BY_HOP]);

export interface RelayHooks {
  /** The backend answered a redirect: nothing was written; the caller answers. */
  onRedirect(): void;
  /** Failed before anything was written (connect, TLS, reset before the head). */
  onFailure(err: Error): void;
  /** Failed after the head was written: the response is cut. */
  onBroken(err: Error): void;
  /** Called exactly once when the exchange is over, however it ended. */
  onDone(): void;
}

/** Raw response headers minus CORS and hop-by-hop; the Content-Length, if one was given. */
export function relayedHeaders(raw: Buffer[] | string[]): { headers: string[]; contentLength: number | undefined; location: boolean } {
  const headers: string[] = [];
  let contentLength: number | undefined;
  let location = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1');
    const lower = name.toLowerCase();
    if (DROPPED.has(lower)) continue;
    const value = raw[i + 1].toString('latin1');
    if (lower === 'content-length') contentLength = Number(value);
    else if (lower === 'location') location = true;
    headers.push(name, value);
  }
  return { headers, contentLength, location };
}

/** An undici dispatch handler writing the backend's response into `res`. */
export class ResponseRelay implements Dispatcher.DispatchHandler {
  private abortFn: ((err: Error) => void) | undefined;
  private chunks: Buffer[] | undefined;
  private started = false;
  private finished = false;
  private pendingAbort: Error | undefined;
  private resume: (() => void) | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly rejectRedirect: boolean,
    private readonly hooks: RelayHooks,
  ) {}

  /** Stops the exchange (client gone, deadline); safe before connect and after the end. */
  abort(reason: Error): void {
    if (this.finished) return;
    if (this.abortFn) this.abortFn(reason);
    else this.pendingAbort = reason;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.pendingAbort) abort(this.pendingAbort);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    const { headers, contentLength, location } = relayedHeaders(rawHeaders);
    if (this.rejectRedirect && statusCode >= 300 && statusCode <= 399 && location) {
      this.finish();
      this.hooks.onRedirect();
      this.abortFn?.(new Error('redirect rejected'));
      return false;
    }
    this.started = true;
    this.res.writeHead(statusCode, headers);
    if (contentLength !== undefined && contentLength <= BUFFER_LIMIT) {
      this.chunks = [];
      return true;
    }
    this.res.flushHeaders();
    this.resume = resume;
    this.res.on('drain', resume);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.chunks) {
      this.chunks.push(chunk);
      return true;
    }
    return this.res.write(chunk);
  }

  onComplete(): void {
    if (this.finished) return;
    if (this.chunks) this.res.end(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks));
    else this.res.end();
    this.finish();
  }

  onError(err: Error): void {
    if (this.finished) return;
    this.finish();
    if (this.started) {
      this.res.destroy();
      this.hooks.onBroken(err);
    } else {
      this.hooks.onFailure(err);
    }
  }

  private finish(): void {
    this.finished = true;
    this.chunks = undefined;
    if (this.resume) this.res.off('drain', this.resume);
    this.hooks.onDone();
  }
}
