import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonMergePatch } from './json-merge-patch.ts';

test('RFC 7386 examples', () => {
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['replace value', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['add value', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['null removes', { a: 'b' }, { a: null }, {}],
    ['arrays replace', { a: ['b'] }, { a: ['c', 'd'] }, { a: ['c', 'd'] }],
    ['nested', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['non-object patch replaces', { a: 'b' }, ['c'], ['c']],
    ['object into scalar', { a: 'foo' }, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [name, target, patch, want] of cases) assert.deepEqual(jsonMergePatch(target, patch), want, name);
});
