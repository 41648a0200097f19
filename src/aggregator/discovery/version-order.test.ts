import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byKubeAwareVersion, compareKubeAwareVersions } from './version-order.ts';

test('spec 3.2 example order', () => {
  const expected = ['v10', 'v2', 'v1', 'v11beta2', 'v10beta3', 'v3beta1', 'v12alpha1', 'v11alpha2', 'foo1', 'foo10'];
  const shuffled = [...expected].reverse();
  shuffled.push(shuffled.shift()!);
  assert.deepEqual(shuffled.sort(byKubeAwareVersion), expected);
});

test('pairwise cases', () => {
  const cases: Array<[string, string, number]> = [
    ['v1', 'v1', 0],
    ['v1', 'v1beta1', 1],
    ['v1beta1', 'v1alpha9', 1],
    ['v2alpha1', 'v1alpha1', 1],
    ['v1beta2', 'v1beta10', -1],
    ['v1', 'foo', 1],
    ['foo1', 'foo10', 1],
    ['v1.2', 'v1', -1],
  ];
  for (const [a, b, sign] of cases) {
    assert.equal(Math.sign(compareKubeAwareVersions(a, b)), sign, `${a} vs ${b}`);
    assert.equal(Math.sign(compareKubeAwareVersions(b, a)), -sign || 0, `${b} vs ${a}`);
  }
});
