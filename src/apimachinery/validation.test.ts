import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigKey, validateLabels, validateName } from './validation.ts';

test('names follow their rule', () => {
  const cases: Array<[string, Parameters<typeof validateName>[1], boolean]> = [
    ['my-config', 'subdomain', true],
    ['a.b.c', 'subdomain', true],
    ['Bad_Name', 'subdomain', false],
    ['a.b', 'label', false],
    ['1abc', 'dns1035', false],
    ['abc-1', 'dns1035', true],
    ['system:admin', 'path', true],
    ['..', 'path', false],
    ['a/b', 'path', false],
  ];
  for (const [name, rule, ok] of cases) assert.equal(validateName(name, rule).length === 0, ok, `${rule} ${name}`);
});

test('config keys and labels', () => {
  assert.equal(validateConfigKey('key.name', 'data[key.name]').length, 0);
  assert.match(validateConfigKey('bad key', 'data[bad key]')[0].detail, /a valid config key/);
  assert.equal(validateLabels({ 'example.com/a': 'b', c: '' }).length, 0);
  assert.equal(validateLabels({ a: 'b c' }).length, 1);
});
