import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ApiserverFlags, applyArgEdits, planFlagEdits, scanFlags } from './flags.ts';

test('scanFlags: forms of a flag', () => {
  const CASES = [
    { name: 'equals', args: ['--a=1'], want: [{ name: '--a', value: '1', form: 'equals' }] },
    { name: 'separate value', args: ['--a', '1'], want: [{ name: '--a', value: '1', form: 'separate' }] },
    { name: 'bare boolean before a word', args: ['--enable-aggregator-routing', 'x'], want: [{ name: '--enable-aggregator-routing', value: undefined, form: 'bare' }] },
    { name: 'bare before a flag', args: ['--a', '--b=2'], want: [{ name: '--a', value: undefined, form: 'bare' }, { name: '--b', value: '2', form: 'equals' }] },
    { name: 'empty value', args: ['--requestheader-allowed-names='], want: [{ name: '--requestheader-allowed-names', value: '', form: 'equals' }] },
    { name: 'single-dash long form', args: ['-a=1'], want: [{ name: '-a', value: '1', form: 'equals' }] },
  ];
  for (const c of CASES) {
    assert.deepEqual(scanFlags(c.args).map(({ name, value, form }) => ({ name, value, form })), c.want, c.name);
  }
});

test('ApiserverFlags: last scalar wins, lists accumulate, booleans', () => {
  const f = new ApiserverFlags(['--x=1', '--x=2', '--names=a,b', '--names', 'c', '--enable-aggregator-routing', '--empty=']);
  assert.equal(f.get('--x'), '2');
  assert.deepEqual(f.list('--names'), ['a', 'b', 'c']);
  assert.equal(f.bool('--enable-aggregator-routing'), true);
  assert.deepEqual(f.list('--empty'), []);
  assert.equal(f.get('--missing'), undefined);
});

test('planFlagEdits: keeps the form, replaces values, drops duplicates, appends missing', () => {
  const args = ['--a=1', '--b', 'old', '--c=3', '--a=9', '--enable-aggregator-routing'];
  const edits = planFlagEdits(args, [['--a', '2'], ['--b', 'new'], ['--d', '4'], ['--enable-aggregator-routing', 'true']]);
  assert.deepEqual(applyArgEdits(args, edits), ['--a=2', '--b', 'new', '--c=3', '--enable-aggregator-routing', '--d=4']);
  assert.deepEqual(planFlagEdits(['--a=2', '--d=4'], [['--a', '2'], ['--d', '4']]), []);
});

test('planFlagEdits is idempotent and sets every desired flag exactly once (property)', () => {
  const name = fc.constantFrom('--a', '--b', '--c', '--requestheader-allowed-names');
  const value = fc.stringMatching(/^[a-z0-9/.]{1,6}$/);
  const arg = fc.oneof(fc.tuple(name, value).map(([n, v]) => [`${n}=${v}`]), fc.tuple(name, value).map(([n, v]) => [n, v]));
  fc.assert(
    fc.property(fc.array(arg, { maxLength: 8 }), fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 4 }), (parts, desired) => {
      const args = parts.flat();
      const once = applyArgEdits(args, planFlagEdits(args, desired));
      assert.deepEqual(planFlagEdits(once, desired), []);
      const flags = new ApiserverFlags(once);
      for (const [n, v] of desired) {
        assert.equal(flags.get(n), v);
        assert.equal(scanFlags(once).filter((o) => o.name === n).length, 1);
      }
      // flags not asked for keep their values in order
      const others = (a: string[]) => scanFlags(a).filter((o) => !desired.some(([n]) => n === o.name)).map((o) => `${o.name}=${o.value}`);
      assert.deepEqual(others(once), others(args));
    }),
  );
});
