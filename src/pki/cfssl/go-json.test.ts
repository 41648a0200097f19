import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goField, JsonSyntaxError, marshalGoJson, parseGoJson } from './go-json.ts';

// Texts as Go's encoding/json reports them (the cfssl error transcript has the first three).
const SYNTAX = [
  { name: 'truncated', input: '{"CN":"x",', message: 'unexpected end of JSON input', line: 1, column: 11 },
  { name: 'missing comma', input: '{"a":1\n"b":2}', message: `invalid character '"' after object key:value pair`, line: 2, column: 1 },
  { name: 'bare word as key', input: '{bad', message: "invalid character 'b' looking for beginning of object key string", line: 1, column: 2 },
  { name: 'empty', input: '', message: 'unexpected end of JSON input', line: 1, column: 1 },
  { name: 'missing colon', input: '{"a" 1}', message: "invalid character '1' after object key", line: 1, column: 6 },
  { name: 'array element', input: '[1 2]', message: "invalid character '2' after array element", line: 1, column: 4 },
  { name: 'trailing data', input: '{} x', message: "invalid character 'x' after top-level value", line: 1, column: 4 },
  { name: 'bad literal', input: '[tru]', message: "invalid character ']' in literal true (expecting 'e')", line: 1, column: 5 },
  { name: 'control in string', input: '"a\tb"', message: "invalid character '\\t' in string literal", line: 1, column: 3 },
  { name: 'bad escape', input: '"\\x"', message: "invalid character 'x' in string escape code", line: 1, column: 3 },
  { name: 'bad number', input: '-x', message: "invalid character 'x' in numeric literal", line: 1, column: 2 },
  { name: 'trailing comma', input: '{"a":1,}', message: "invalid character '}' looking for beginning of object key string", line: 1, column: 8 },
] as const;

for (const c of SYNTAX) {
  test(`parseGoJson: ${c.name} → Go's message and the position`, () => {
    assert.throws(() => parseGoJson(c.input), (err: unknown) => {
      assert.ok(err instanceof JsonSyntaxError);
      assert.equal(err.message, c.message);
      assert.deepEqual([err.line, err.column], [c.line, c.column]);
      return true;
    });
  });
}

test('parseGoJson reads values like JSON.parse', () => {
  const text = '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"],"b":{"c":{}},"__proto__":1}';
  assert.deepEqual(JSON.parse(JSON.stringify(parseGoJson(text))), JSON.parse(text));
});

test('goField matches keys case-insensitively, exact match first', () => {
  const obj = parseGoJson('{"cn":"lower","Hosts":["a"],"CN":"exact"}') as Record<string, never>;
  assert.equal(goField(obj, 'CN'), 'exact');
  assert.deepEqual(goField(obj, 'hosts'), ['a']);
  assert.equal(goField(obj, 'key'), undefined);
});

test('marshalGoJson: compact and indented forms, Go escaping, bigint, omitted undefined', () => {
  assert.equal(marshalGoJson({ cert: 'a\nb', n: 10n ** 30n, skip: undefined, e: [], o: {} }), '{"cert":"a\\nb","n":1000000000000000000000000000000,"e":[],"o":{}}');
  assert.equal(marshalGoJson({ a: [1, 'x'] }, '  '), '{\n  "a": [\n    1,\n    "x"\n  ]\n}');
  assert.equal(marshalGoJson('<a&b>\u2028\u0001\b'), '"\\u003ca\\u0026b\\u003e\\u2028\\u0001\\u0008"');
});
