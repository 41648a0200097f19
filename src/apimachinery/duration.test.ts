import { test } from 'node:test';
import assert from 'node:assert/strict';
import { age, humanDuration } from './duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration matches apimachinery HumanDuration', () => {
  const cases: Array<[string, number, string]> = [
    ['far future', -5 * S, '<invalid>'],
    ['just ahead', -500, '0s'],
    ['seconds', 5 * S, '5s'],
    ['under two minutes', 119 * S, '119s'],
    ['minutes with seconds', 5 * M + 1 * S, '5m1s'],
    ['round minutes', 5 * M, '5m'],
    ['tens of minutes', 45 * M + 30 * S, '45m'],
    ['hours with minutes', 3 * H + 15 * M, '3h15m'],
    ['round hours', 4 * H, '4h'],
    ['a day and a half', 36 * H, '36h'],
    ['days with hours', 3 * D + 4 * H, '3d4h'],
    ['days', 30 * D, '30d'],
    ['years with days', 3 * 365 * D + 10 * D, '3y10d'],
    ['many years', 9 * 365 * D, '9y'],
  ];
  for (const [name, ms, want] of cases) assert.equal(humanDuration(ms), want, name);
});

test('age of a missing timestamp is <unknown>', () => {
  assert.equal(age(undefined, new Date()), '<unknown>');
  assert.equal(age('2026-11-28T16:00:00Z', new Date('2026-11-28T16:05:00Z')), '5m');
});
