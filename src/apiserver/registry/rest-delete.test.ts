import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './testing/test-server.ts';

test('deletecollection deletes what the selector matches and returns the list', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const base = '/api/v1/namespaces/default/configmaps';
  for (const [name, tier] of [['a', 'x'], ['b', 'y'], ['c', 'x']]) {
    await fetch(`${s.url}${base}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name, labels: { tier } } }) });
  }
  const res = await fetch(`${s.url}${base}?labelSelector=tier%3Dx`, { method: 'DELETE' });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.kind, 'ConfigMapList');
  assert.deepEqual(body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'c']);
  const left = await (await fetch(`${s.url}${base}`)).json();
  assert.deepEqual(left.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['b']);
});

test('delete preconditions and finalizers', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const base = '/api/v1/namespaces/default/configmaps';
  const c = await (await fetch(`${s.url}${base}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'f', finalizers: ['example.com/x'] } }) })).json();
  const wrongUID = await fetch(`${s.url}${base}/f`, { method: 'DELETE', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ preconditions: { uid: 'other' } }) });
  assert.equal(wrongUID.status, 409);
  const marked = await fetch(`${s.url}${base}/f`, { method: 'DELETE', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ preconditions: { uid: c.metadata.uid } }) });
  assert.equal(marked.status, 200);
  const obj = await marked.json();
  assert.ok(obj.metadata.deletionTimestamp);
  assert.equal(obj.kind, 'ConfigMap');
  const cleared = await fetch(`${s.url}${base}/f`, { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: '[{"op":"remove","path":"/metadata/finalizers"}]' });
  assert.equal(cleared.status, 200);
  assert.equal((await fetch(`${s.url}${base}/f`)).status, 404);
});

test('PUT creates a missing lease (allowCreateOnUpdate) but not a missing configmap', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const lease = await fetch(`${s.url}/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/leader`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'leader' }, spec: { holderIdentity: 'a' } }) });
  assert.equal(lease.status, 201);
  const cm = await fetch(`${s.url}/api/v1/namespaces/default/configmaps/nope`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'nope' } }) });
  assert.equal(cm.status, 404);
});
