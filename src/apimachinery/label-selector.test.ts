import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesRequirements, parseLabelSelector, requirementsFromObject } from './label-selector.ts';
import { isStatusError } from './status.ts';

test('label selectors match like apimachinery labels.Parse', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/team': 'a' };
  const cases: Array<[string, boolean]> = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=db', false],
    ['app in (db,web)', true],
    ['app notin (db, web)', false],
    ['tier,app=web', true],
    ['!tier', false],
    ['!missing', true],
    ['missing!=x', true],
    ['example.com/team=a', true],
    ['app=web,tier in (back)', false],
    ['', true],
  ];
  for (const [sel, want] of cases) assert.equal(matchesRequirements(parseLabelSelector(sel), labels), want, sel);
});

test('a malformed label selector is a 400', () => {
  assert.throws(() => parseLabelSelector('app=(x'), (e) => isStatusError(e) && e.code === 400);
});

test('label selector objects', () => {
  const reqs = requirementsFromObject({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] });
  assert.equal(matchesRequirements(reqs, { a: '1' }), true);
  assert.equal(matchesRequirements(reqs, { a: '1', b: '2' }), false);
  assert.equal(matchesRequirements(requirementsFromObject({}), undefined), true);
});
