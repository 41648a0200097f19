// resourceVersion parsing and list continue tokens (src/storage/{codec,continue-token}.ts):
// encode/decode round trips, tokens never escaping their prefix, and any input a value or
// a StorageError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseRevision } from '../../src/storage/codec.ts';
import { decodeContinue, encodeContinue } from '../../src/storage/continue-token.ts';
import { StorageError } from '../../src/storage/errors.ts';
import { RUNS } from './runs.ts';

const PREFIX = '/registry/configmaps/';
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/).filter((s) => s !== '..' && s !== '.');
const relKey = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));

test('continue token: encode then decode returns the key and revision', () => {
  fc.assert(fc.property(relKey, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (rel, rev) => {
    const token = encodeContinue(PREFIX, PREFIX + rel, rev);
    assert.match(token, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(decodeContinue(PREFIX, token), { revision: rev, start: PREFIX + rel });
  }), { numRuns: RUNS });
});

test('continue token: any text decodes inside the prefix or throws StorageError(InvalidObject)', () => {
  const forged = fc.record({
    v: fc.oneof(fc.constant('meta.k8s.io/v1'), fc.string({ maxLength: 5 })),
    rv: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 4 }), fc.constant(null)),
    start: fc.oneof(relKey, fc.constantFrom('../secrets/x', 'a/../../etc', '/abs', '', '..', 'a/..'), fc.string({ maxLength: 8 })),
  }, { requiredKeys: [] }).map((o) => Buffer.from(JSON.stringify(o)).toString('base64'));
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 40 }), forged), (token) => {
    try {
      const point = decodeContinue(PREFIX, token);
      assert.ok(point.start.startsWith(PREFIX), point.start);
      assert.ok(!point.start.slice(PREFIX.length).split('/').includes('..'), point.start);
      assert.ok(Number.isSafeInteger(point.revision) && point.revision > 0);
    } catch (err) {
      assert.ok(err instanceof StorageError, `${token}: ${String(err)}`);
      assert.equal(err.code, 'InvalidObject');
      assert.match(err.message, /^continue key is not valid: /);
    }
  }), { numRuns: RUNS * 3 });
});

test('resourceVersion: decimal text round-trips, anything else is StorageError(InvalidObject)', () => {
  fc.assert(fc.property(fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map(String), fc.string({ maxLength: 12 })), (rv) => {
    try {
      const n = parseRevision('/k', rv);
      assert.ok(Number.isSafeInteger(n) && n >= 0, rv);
      if (rv !== '') assert.equal(String(n), rv.replace(/^0+(?=\d)/, ''));
    } catch (err) {
      assert.ok(err instanceof StorageError, `${rv}: ${String(err)}`);
      assert.equal(err.code, 'InvalidObject');
    }
  }), { numRuns: RUNS * 2 });
});

// Upstream (strconv.ParseUint) refuses values past uint64; kagg's revisions are JS numbers,
// so anything past 2^53-1 cannot be represented and must be refused rather than rounded.
test('resourceVersion: values past Number.MAX_SAFE_INTEGER are refused, not rounded', () => {
  fc.assert(fc.property(fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: 10n ** 30n }), (big) => {
    assert.throws(() => parseRevision('/k', big.toString()), (err: unknown) => err instanceof StorageError && err.code === 'InvalidObject');
  }), { numRuns: RUNS });
});
