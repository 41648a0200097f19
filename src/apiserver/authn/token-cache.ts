// A bounded memo of verified tokens. kube-apiserver reuses successful token
// authentications for 10 s (k8s.io/apiserver pkg/authentication/token/cache); kagg keeps
// only the expensive part — the JWT signature check — and still looks the ServiceAccount,
// Pod and Secret up on every request (from informer caches), so deleting them revokes the
// token at once. Keys are SHA-256 digests, so no token is kept in memory.
import { createHash } from 'node:crypto';

export interface VerifiedCacheOptions {
  /** How long a verification is reused at most (upstream's token cache: 10 s). */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export interface VerifiedCache<T> {
  get(key: string): T | undefined;
  /** Remembers `value` until `expiresAt` (ms) or the TTL, whichever comes first. */
  set(key: string, value: T, expiresAt?: number): void;
}

/** The cache key of a token and the context it was verified in (issuer, audiences). */
export function tokenKey(token: string, ...context: string[]): string {
  const h = createHash('sha256').update(token);
  for (const c of context) h.update('\0').update(c);
  return h.digest('base64');
}

export function createVerifiedCache<T>(options: VerifiedCacheOptions = {}): VerifiedCache<T> {
  const ttl = options.ttlMs ?? 10_000;
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: T; expires: number }>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.expires > now()) return hit.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value, expiresAt) {
      const expires = Math.min(now() + ttl, expiresAt ?? Number.POSITIVE_INFINITY);
      if (expires <= now()) return;
      entries.delete(key);
      entries.set(key, { value, expires });
      for (const oldest of entries.keys()) {
        if (entries.size <= max) break;
        entries.delete(oldest);
      }
    },
  };
}
