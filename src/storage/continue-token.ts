// List continue tokens, shaped like Kubernetes' (storage.EncodeContinue): base64 of
// {"v":"meta.k8s.io/v1","rv":N,"start":"<key relative to the list prefix>"}.
import { StorageError } from './errors.ts';

const TOKEN_VERSION = 'meta.k8s.io/v1';

export interface ContinuePoint {
  revision: number;
  /** Next key to read, relative to the list prefix. */
  start: string;
}

export function encodeContinue(prefix: string, nextKey: string, revision: number): string {
  const start = nextKey.startsWith(prefix) ? nextKey.slice(prefix.length) : nextKey;
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: revision, start })).toString('base64');
}

function invalid(key: string, why: string): StorageError {
  return new StorageError('InvalidObject', key, `continue key is not valid: ${why}`);
}

export function decodeContinue(prefix: string, token: string): ContinuePoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid(prefix, 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid(prefix, 'not an object');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== TOKEN_VERSION) throw invalid(prefix, 'server does not recognize this encoded key');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) throw invalid(prefix, 'incorrect encoded start resourceVersion');
  if (typeof start !== 'string' || start === '') throw invalid(prefix, 'encoded start key is empty');
  // Like k8s: a relative key may not climb out of the prefix.
  if (start.split('/').includes('..') || start.startsWith('/')) throw invalid(prefix, 'encoded start key is not a relative path');
  return { revision: rv, start: prefix + start };
}
