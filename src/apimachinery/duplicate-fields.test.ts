import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateFields } from './duplicate-fields.ts';

test('duplicate keys are found by path', () => {
  const cases: Array<[string, string, string[]]> = [
    ['none', '{"a":1,"b":{"c":[1,2,{"d":"x"}]}}', []],
    ['top', '{"a":1,"a":2}', ['a']],
    ['nested', '{"metadata":{"name":"x","name":"y"}}', ['metadata.name']],
    ['in list', '{"l":[{"k":1},{"k":1,"k":2}]}', ['l[1].k']],
    ['escaped quotes', '{"a\\"b":"c\\"d","a\\"b":true}', ['a"b']],
    ['empty', '{"a":{},"b":[],"c":null}', []],
  ];
  for (const [name, text, want] of cases) assert.deepEqual(duplicateFields(text), want, name);
});
