import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './testing/test-server.ts';
import type { ResourceDefinition } from './resource.ts';

const flunders: ResourceDefinition = {
  group: 'wardle.example.com',
  version: 'v1alpha1',
  kind: 'Flunder',
  listKind: 'FlunderList',
  plural: 'flunders',
  singular: 'flunder',
  namespaced: true,
  strategicMerge: false,
};

test('strategic merge patch on a kind without patch metadata is 415; merge patch works', async (t) => {
  const s = await startTestServer({ extraResources: [flunders] });
  t.after(() => s.close());
  const base = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';
  const created = await fetch(`${s.url}${base}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'f' }, spec: { reference: 'x' } }) });
  assert.equal(created.status, 201);
  const smp = await fetch(`${s.url}${base}/f`, { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: '{"spec":{"reference":"y"}}' });
  assert.equal(smp.status, 415);
  assert.equal((await smp.json()).message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  const merge = await fetch(`${s.url}${base}/f`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"spec":{"reference":"y"}}' });
  assert.equal((await merge.json()).spec.reference, 'y');
  const table = await (await fetch(`${s.url}${base}`, { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json();
  assert.deepEqual(table.columnDefinitions.map((c: { name: string; type: string }) => `${c.name}:${c.type}`), ['Name:string', 'Created At:date']);
  const doc = await (await fetch(`${s.url}/openapi/v3/apis/wardle.example.com/v1alpha1`)).json();
  const patchOp = doc.paths['/apis/wardle.example.com/v1alpha1/namespaces/{namespace}/flunders/{name}'].patch;
  assert.equal(patchOp.requestBody.content['application/strategic-merge-patch+json'], undefined);
});

test('patch with a stale resourceVersion is a conflict; dry run stores nothing', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const base = '/api/v1/namespaces/default/configmaps';
  await fetch(`${s.url}${base}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'c' }, data: { a: '1' } }) });
  const stale = await fetch(`${s.url}${base}/c`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"metadata":{"resourceVersion":"1"},"data":{"a":"2"}}' });
  assert.equal(stale.status, 409);
  const dry = await fetch(`${s.url}${base}/c?dryRun=All`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"data":{"a":"3"}}' });
  assert.equal((await dry.json()).data.a, '3');
  assert.equal((await (await fetch(`${s.url}${base}/c`)).json()).data.a, '1');
});

test('builtIns: false serves only the extra resources', async (t) => {
  const s = await startTestServer({ extraResources: [flunders], builtIns: false });
  t.after(() => s.close());
  assert.equal((await fetch(`${s.url}/api/v1/namespaces/default/configmaps`)).status, 404);
  const created = await fetch(`${s.url}/apis/wardle.example.com/v1alpha1/namespaces/any/flunders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'f' } }) });
  assert.equal(created.status, 201);
  const apis = await (await fetch(`${s.url}/apis`)).json();
  assert.deepEqual(apis.groups.map((g: { name: string }) => g.name), ['wardle.example.com']);
});

test('field validation on patches: Strict is 422 on field "patch", Warn a warning', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const base = '/api/v1/namespaces/default/configmaps';
  await fetch(`${s.url}${base}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'p' } }) });
  const strict = await fetch(`${s.url}${base}/p?fieldValidation=Strict`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"foo":"bar"}' });
  assert.equal(strict.status, 422);
  const body = await strict.json();
  assert.equal(body.details.causes[0].field, 'patch');
  assert.match(body.message, /strict decoding error: unknown field "foo"/);
  const warn = await fetch(`${s.url}${base}/p?fieldValidation=Warn`, { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: '{"foo":"bar"}' });
  assert.equal(warn.status, 200);
  assert.equal(warn.headers.get('warning'), '299 - "unknown field \\"foo\\""');
  const yaml = await fetch(`${s.url}${base}`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: 'metadata:\n  name: y\n data: [' });
  assert.equal(yaml.status, 400);
  assert.match((await yaml.json()).message, /^error converting YAML to JSON: yaml: line \d+: /);
  const okYaml = await fetch(`${s.url}${base}`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  a: "1"\n' });
  assert.equal(okYaml.status, 201);
});
