// The only writers of API responses: JSON bodies and Status errors
// (k8s.io/apiserver pkg/endpoints/handlers/responsewriters).
import type { ServerResponse } from 'node:http';
import { internal, isStatusError, type Status } from '../../apimachinery/status.ts';
import { MEDIA } from '../../apimachinery/media-types.ts';
import { isStorageError } from '../../storage/errors.ts';
import { interpretStorageError } from './storage-errors.ts';

export function writeJSON(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const data = JSON.stringify(body);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { 'Content-Type': MEDIA.json, 'Content-Length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

/** Converts any thrown value to a Status; non-Status errors are bugs, logged and sent as 500. */
export function toStatus(err: unknown): Status {
  if (isStatusError(err)) return err.status;
  // A storage outage reached here without resource context (e.g. a lookup on the way):
  // still a 503/504, not a bug.
  if (isStorageError(err, 'Unavailable') || isStorageError(err, 'Timeout')) {
    const mapped = interpretStorageError(err, { group: '', resource: '' }, '');
    if (isStatusError(mapped)) return mapped.status;
  }
  console.error('kagg: internal error while serving a request:', err);
  return internal(err instanceof Error ? err.message : String(err)).status;
}

export function writeStatus(res: ServerResponse, err: unknown): void {
  const status = toStatus(err);
  writeJSON(res, status.code, status);
}

/** One `Warning: 299 - "<text>"` header per message, with `"` and `\` escaped (kubectl.md §5.6). */
export function warningHeaders(warnings: string[]): Record<string, string[]> {
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - "${w.replace(/[\\"]/g, (c) => `\\${c}`)}"`) };
}
