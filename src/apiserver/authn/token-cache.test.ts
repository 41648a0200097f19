import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVerifiedCache, tokenKey } from './token-cache.ts';

test('verified cache: reused until the TTL or the given expiry, whichever is first', () => {
  let clock = 1_000;
  const cache = createVerifiedCache<string>({ ttlMs: 10_000, now: () => clock });
  cache.set('a', 'A');
  cache.set('b', 'B', clock + 2_000);
  cache.set('gone', 'G', clock - 1);
  assert.equal(cache.get('a'), 'A');
  assert.equal(cache.get('b'), 'B');
  assert.equal(cache.get('gone'), undefined, 'an already expired value is not kept');
  clock += 2_001;
  assert.equal(cache.get('b'), undefined, 'b expired with its own deadline');
  assert.equal(cache.get('a'), 'A');
  clock += 8_000;
  assert.equal(cache.get('a'), undefined, 'a expired with the TTL');
});

test('verified cache: bounded, oldest dropped first', () => {
  const cache = createVerifiedCache<number>({ maxEntries: 2 });
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.get('b'), 2);
  assert.equal(cache.get('c'), 3);
});

test('token keys differ by token and by context, and hold no token text', () => {
  const k = tokenKey('secret-token', 'iss', 'aud');
  assert.notEqual(k, tokenKey('secret-token', 'iss', 'other'));
  assert.notEqual(k, tokenKey('secret-token2', 'iss', 'aud'));
  assert.equal(k, tokenKey('secret-token', 'iss', 'aud'));
  assert.ok(!k.includes('secret'));
});
