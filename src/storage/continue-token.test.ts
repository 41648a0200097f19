import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { isStorageError } from './errors.ts';

const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');

test('continue token: k8s shape, relative start key, round trip', () => {
  const token = encodeContinue('/registry/pods/', '/registry/pods/default/web-1\x00', 42);
  assert.deepEqual(JSON.parse(Buffer.from(token, 'base64').toString()), { v: 'meta.k8s.io/v1', rv: 42, start: 'default/web-1\x00' });
  assert.deepEqual(decodeContinue('/registry/pods/', token), { revision: 42, start: '/registry/pods/default/web-1\x00' });
});

test('continue token: invalid tokens are InvalidObject', async (t) => {
  const cases = [
    { name: 'not base64 JSON', token: '!!!' },
    { name: 'not an object', token: b64('7') },
    { name: 'wrong version', token: b64({ v: 'v2', rv: 1, start: 'a' }) },
    { name: 'zero revision', token: b64({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' }) },
    { name: 'string revision', token: b64({ v: 'meta.k8s.io/v1', rv: '5', start: 'a' }) },
    { name: 'empty start', token: b64({ v: 'meta.k8s.io/v1', rv: 5, start: '' }) },
    { name: 'climbs out of the prefix', token: b64({ v: 'meta.k8s.io/v1', rv: 5, start: '../secrets/x' }) },
    { name: 'absolute start', token: b64({ v: 'meta.k8s.io/v1', rv: 5, start: '/registry/secrets/x' }) },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.throws(() => decodeContinue('/registry/pods/', c.token), (err) => isStorageError(err, 'InvalidObject')));
  }
});
