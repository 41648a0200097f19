// requestheader `X-Remote-Extra-` key escaping (src/apiserver/authn/request-header.ts), with
// upstream's rules: the sender %-escapes every byte that is not an RFC 7230 token char and
// every '%' (headerKeyEscape); the receiver lower-cases the name, then url.PathUnescape's it
// and keeps the lower-cased text when that fails (unescapeExtraKey).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeExtraKey, unescapeExtraKey, userFromHeaders } from '../../src/apiserver/authn/request-header.ts';
import { RUNS } from './runs.ts';

const TOKEN = /^[A-Za-z0-9!#$&'*+\-.^_`|~%]*$/;
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const keyText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('example.com/Scopes', 'alice%20bob', 'a b', 'UPPER/lower', 'ключ', '🔑', '%', '%zz', 'x%2Fy'),
);

test('escaped keys are header-name tokens and decode back to the ASCII-lower-cased key', () => {
  fc.assert(fc.property(keyText, (key) => {
    const escaped = escapeExtraKey(key);
    assert.match(escaped, TOKEN);
    assert.doesNotMatch(escaped, /%(?![0-9A-F]{2})/, 'every % starts an upper-case escape');
    assert.equal(unescapeExtraKey(escaped), asciiLower(key), escaped);
  }), { numRuns: RUNS * 2 });
});

test('escaping is a no-op on token-only keys without %, and case-insensitive on the wire', () => {
  const tokenKey = fc.stringMatching(/^[a-z0-9!#$&'*+\-.^_`|~]{0,16}$/);
  fc.assert(fc.property(tokenKey, (key) => {
    assert.equal(escapeExtraKey(key), key);
    assert.equal(unescapeExtraKey(key.toUpperCase()), key);
  }), { numRuns: RUNS });
});

test('unescaping never throws and never returns upper-case ASCII that was escaped as text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 24 }), (encoded) => {
    const out = unescapeExtraKey(encoded);
    assert.equal(typeof out, 'string');
    if (!encoded.includes('%')) assert.equal(out, encoded.toLowerCase());
  }), { numRuns: RUNS * 2 });
});

test('userFromHeaders reads escaped extra keys back into the original (lower-cased) keys', () => {
  const entry = fc.tuple(keyText.filter((k) => k !== ''), fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 }));
  fc.assert(fc.property(fc.array(entry, { maxLength: 4 }), (entries) => {
    const distinct: NodeJS.Dict<string[]> = { 'x-remote-user': ['alice'] };
    const expected: Record<string, string[]> = {};
    for (const [k, vs] of entries) {
      const header = `x-remote-extra-${escapeExtraKey(k)}`.toLowerCase();
      distinct[header] = [...(distinct[header] ?? []), ...vs];
      const decoded = asciiLower(k);
      expected[decoded] = [...(expected[decoded] ?? []), ...vs];
    }
    const user = userFromHeaders(distinct, { usernameHeaders: ['X-Remote-User'], uidHeaders: [], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'] });
    assert.ok(user);
    assert.deepEqual({ ...(user.extra ?? {}) }, expected);
  }), { numRuns: RUNS });
});

// Keys that name Object.prototype members: upstream keeps them as ordinary extra keys.
// Regression: TypeError "extra[key].push is not a function" (the map was a plain object, so
// `__proto__`/`constructor` resolved to prototype members).
test('userFromHeaders keeps extra keys named like Object.prototype members', () => {
  for (const key of ['__proto__', 'constructor', 'Constructor', 'toString']) {
    const user = userFromHeaders({ 'x-remote-user': ['alice'], [`x-remote-extra-${key.toLowerCase()}`]: ['v'] }, { usernameHeaders: ['X-Remote-User'], uidHeaders: [], groupHeaders: [], extraHeaderPrefixes: ['X-Remote-Extra-'] });
    assert.deepEqual(Object.entries(user?.extra ?? {}), [[key.toLowerCase(), ['v']]], key);
  }
});
