import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Schemas } from './schema.ts';
import { unknownFields } from './unknown-fields.ts';

const schemas: Schemas = {
  Obj: { type: 'object', properties: { kind: { type: 'string' }, data: { type: 'object', additionalProperties: { type: 'string' } }, spec: { $ref: '#/components/schemas/Spec' } } },
  Spec: { type: 'object', properties: { ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } } } },
};

test('unknown fields are reported by path', () => {
  const root = { $ref: '#/components/schemas/Obj' };
  const cases: Array<[string, unknown, string[]]> = [
    ['clean', { kind: 'X', data: { anything: 'ok' } }, []],
    ['top level', { kind: 'X', foo: 1 }, ['foo']],
    ['nested', { spec: { bar: 1 } }, ['spec.bar']],
    ['in a list', { spec: { ports: [{ port: 1 }, { port: 2, nope: true }] } }, ['spec.ports[1].nope']],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(unknownFields(obj, schemas, root), want, name);
});

test('prune deletes what it reports', () => {
  const obj = { kind: 'X', foo: 1, spec: { ports: [{ port: 1, nope: 2 }] } };
  assert.deepEqual(unknownFields(obj, schemas, { $ref: '#/components/schemas/Obj' }, true), ['foo', 'spec.ports[0].nope']);
  assert.deepEqual(obj, { kind: 'X', spec: { ports: [{ port: 1 }] } });
});
