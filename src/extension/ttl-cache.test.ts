import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTtlCache } from './ttl-cache.ts';

describe('createTtlCache', () => {
  it('expires each entry after its own TTL on the injected clock', () => {
    let now = 1_000;
    const cache = createTtlCache<string>({ now: () => now });
    cache.set('a', 'A', 10_000);
    cache.set('b', 'B', 5_000);
    now += 4_999;
    assert.equal(cache.get('a'), 'A');
    assert.equal(cache.get('b'), 'B');
    now += 1;
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 'A');
    now += 5_000;
    assert.equal(cache.get('a'), undefined);
  });

  it('does not store with a zero TTL and evicts the oldest beyond maxEntries', () => {
    const cache = createTtlCache<number>({ maxEntries: 2, now: () => 0 });
    cache.set('zero', 0, 0);
    assert.equal(cache.get('zero'), undefined);
    cache.set('x', 1, 100);
    cache.set('y', 2, 100);
    cache.set('z', 3, 100);
    assert.equal(cache.size(), 2);
    assert.equal(cache.get('x'), undefined);
    assert.equal(cache.get('z'), 3);
  });
});
