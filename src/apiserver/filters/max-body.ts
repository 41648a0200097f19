// Refuses request bodies over the limit (3 MiB, kube-apiserver's MaxRequestBodyBytes) with
// 413 before anything reads them. A declared Content-Length is checked here; bodies
// without one are bounded by `readBody`, which every body reader should use.
import type { IncomingMessage } from 'node:http';
import { requestEntityTooLarge } from '../../apimachinery/status.ts';
import type { Handler } from '../request/context.ts';

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

const limits = new WeakMap<IncomingMessage, number>();

function tooLarge(limit: number) {
  return requestEntityTooLarge(`the request body is too large: limit is ${limit} bytes`);
}

export function withMaxBodySize(next: Handler, deps: { limit?: number } = {}): Handler {
  const limit = deps.limit ?? DEFAULT_MAX_BODY_BYTES;
  return function maxBodySize(req, res) {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      // The body is not read; close the connection after the answer rather than drain it.
      res.setHeader('connection', 'close');
      throw tooLarge(limit);
    }
    if (limit !== DEFAULT_MAX_BODY_BYTES) limits.set(req, limit);
    return next(req, res);
  };
}

/** The body limit for this request (the default when the filter did not run). */
export function bodyLimitOf(req: IncomingMessage): number {
  return limits.get(req) ?? DEFAULT_MAX_BODY_BYTES;
}

/** Reads the whole body, failing with 413 once it passes the request's limit. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const limit = bodyLimitOf(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
