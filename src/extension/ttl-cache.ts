// A small expiring cache for delegated decisions (TokenReview, SubjectAccessReview): each
// entry lives for the TTL given when it was stored, measured by an injected clock, and the
// cache holds at most `maxEntries` (the oldest entry goes first).

export interface TtlCacheOptions {
  maxEntries?: number;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

export interface TtlCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs: number): void;
  size(): number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

export function createTtlCache<V>(options: TtlCacheOptions = {}): TtlCache<V> {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const entries = new Map<string, { value: V; expires: number }>();
  return {
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (now() >= e.expires) {
        entries.delete(key);
        return undefined;
      }
      return e.value;
    },
    set(key, value, ttlMs) {
      if (ttlMs <= 0) return;
      entries.delete(key);
      entries.set(key, { value, expires: now() + ttlMs });
      while (entries.size > max) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    size: () => entries.size,
  };
}
