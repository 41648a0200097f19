import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredObject } from '../../../storage/interface.ts';
import { secrets } from './secrets.ts';
import { configMaps } from './configmaps.ts';

test('secret stringData is merged into data and dropped; type defaults to Opaque', () => {
  const o: StoredObject = { metadata: { name: 's' }, data: { a: Buffer.from('x').toString('base64') }, stringData: { b: 'hello', a: 'over' } };
  secrets.strategy!.prepareForCreate!(o);
  assert.deepEqual(o, { metadata: { name: 's' }, type: 'Opaque', data: { a: Buffer.from('over').toString('base64'), b: Buffer.from('hello').toString('base64') } });
});

test('secret and configmap validation', () => {
  const v = (def: typeof secrets, o: Record<string, unknown>) => def.strategy!.validate!({ metadata: { name: 'x' }, ...o }).map((e) => `${e.path} ${e.type}`);
  assert.deepEqual(v(secrets, { data: { ok: 'aGk=' } }), []);
  assert.deepEqual(v(secrets, { data: { ok: 'not base64!' } }), ['data[ok] FieldValueInvalid']);
  assert.deepEqual(v(secrets, { type: 'kubernetes.io/tls', data: { 'tls.crt': 'aGk=' } }), ['data[tls.key] FieldValueRequired']);
  assert.deepEqual(v(configMaps, { data: { a: '1' }, binaryData: { a: 'aGk=' } }), ['data[a] FieldValueInvalid']);
  const immutable = configMaps.strategy!.validateUpdate!({ metadata: {}, data: { a: '2' }, immutable: true }, { metadata: {}, data: { a: '1' }, immutable: true });
  assert.deepEqual(immutable.map((e) => e.path), ['data']);
});

test('configmap and secret table cells', () => {
  const now = new Date('2026-11-28T17:00:00Z');
  assert.deepEqual(configMaps.table!.cells({ metadata: { name: 'c', creationTimestamp: '2026-11-28T16:59:30Z' }, data: { a: '1' }, binaryData: { b: 'aGk=' } }, now), ['c', 2, '30s']);
  assert.deepEqual(secrets.table!.cells({ metadata: { name: 's', creationTimestamp: '2026-11-28T14:00:00Z' }, type: 'Opaque', data: { a: 'aGk=' } }, now), ['s', 'Opaque', 1, '3h']);
});
