import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterSpec, mergeSpecs, type SwaggerSpec } from './merge-v2.ts';

const ref = (n: string) => ({ $ref: `#/definitions/${n}` });

test('filterSpec keeps the GV paths and reachable definitions only', () => {
  const spec: SwaggerSpec = {
    paths: { '/apis/wardle.example.com/v1alpha1/flunders': { get: { responses: { 200: { schema: ref('Flunder') } } } }, '/apis/other/v1/x': { get: { responses: { 200: { schema: ref('Other') } } } } },
    definitions: { Flunder: { properties: { meta: ref('ObjectMeta') } }, ObjectMeta: { type: 'object' }, Other: { type: 'object' } },
  };
  const out = filterSpec(spec, '/apis/wardle.example.com/v1alpha1/');
  assert.deepEqual(Object.keys(out.paths ?? {}), ['/apis/wardle.example.com/v1alpha1/flunders']);
  assert.deepEqual(Object.keys(out.definitions ?? {}).sort(), ['Flunder', 'ObjectMeta']);
});

test('mergeSpecs: earlier path wins, conflicting definition renamed', () => {
  const a: SwaggerSpec = { swagger: '2.0', paths: { '/a': { x: 1 } }, definitions: { Meta: { type: 'object' } } };
  const b: SwaggerSpec = { paths: { '/a': { x: 2 }, '/b': { get: { schema: ref('Meta') } } }, definitions: { Meta: { type: 'string' } } };
  const m = mergeSpecs(a, b);
  assert.deepEqual(m.paths, { '/a': { x: 1 }, '/b': { get: { schema: ref('Meta_v2') } } });
  assert.deepEqual(m.definitions, { Meta: { type: 'object' }, Meta_v2: { type: 'string' } });
  assert.equal(m.swagger, '2.0');
});
