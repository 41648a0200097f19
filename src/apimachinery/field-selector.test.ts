import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSupportedFields, matchesFields, parseFieldSelector } from './field-selector.ts';
import { isStatusError } from './status.ts';

test('field selectors', () => {
  const fields = { 'metadata.name': 'x', 'metadata.namespace': 'default' };
  const cases: Array<[string, boolean]> = [
    ['metadata.name=x', true],
    ['metadata.name==x', true],
    ['metadata.name!=x', false],
    ['metadata.name=x,metadata.namespace=default', true],
    ['metadata.name=x,metadata.namespace=other', false],
    ['involvedObject.uid=', true],
  ];
  for (const [sel, want] of cases) assert.equal(matchesFields(parseFieldSelector(sel), fields), want, sel);
});

test('unsupported field is a 400 with upstream wording', () => {
  assert.throws(
    () => checkSupportedFields(parseFieldSelector('spec.foo=1'), new Set(['metadata.name'])),
    (e) => isStatusError(e) && e.code === 400 && e.message === 'field label not supported: spec.foo',
  );
});
