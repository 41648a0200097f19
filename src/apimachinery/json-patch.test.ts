import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPatch } from './json-patch.ts';
import { isStatusError } from './status.ts';

test('json patch operations', () => {
  const doc = { metadata: { name: 'x' }, data: { a: '1' } };
  assert.deepEqual(jsonPatch(doc, [{ op: 'add', path: '/data/b', value: '2' }, { op: 'remove', path: '/data/a' }]), { metadata: { name: 'x' }, data: { b: '2' } });
  assert.deepEqual(doc.data, { a: '1' }, 'the input is not mutated');
});

test('a failing test op is 422 and a non-array patch is 400', () => {
  assert.throws(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), (e) => isStatusError(e) && e.code === 422);
  assert.throws(() => jsonPatch({ a: 1 }, { op: 'add' }), (e) => isStatusError(e) && e.code === 400);
});
