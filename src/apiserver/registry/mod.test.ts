import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './testing/test-server.ts';
import { encodeProtobuf } from '../protobuf/decode.ts';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const DISC = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, headers: res.headers };
}

test('CRUD of configmaps with Status errors', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const ns = '/api/v1/namespaces/default/configmaps';
  const created = await call(s.url, 'POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } });
  assert.equal(created.status, 201);
  assert.equal(created.json.metadata.namespace, 'default');
  assert.ok(created.json.metadata.uid);
  assert.ok(created.json.metadata.resourceVersion);

  const dup = await call(s.url, 'POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.message, 'configmaps "x" already exists');

  const missing = await call(s.url, 'GET', `${ns}/nope`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json.details, { name: 'nope', group: '', kind: 'configmaps' });

  const stale = await call(s.url, 'PUT', `${ns}/x`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', resourceVersion: '1' }, data: {} });
  assert.equal(stale.status, 409);
  assert.match(stale.json.message, /the object has been modified/);

  const put = await call(s.url, 'PUT', `${ns}/x`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', resourceVersion: created.json.metadata.resourceVersion }, data: { a: '2' } });
  assert.equal(put.status, 200);
  assert.equal(put.json.data.a, '2');
  assert.equal(put.json.metadata.uid, created.json.metadata.uid);

  const bad = await call(s.url, 'POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' }, data: { 'bad key': 'v' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.details.causes[0].field, 'data[bad key]');

  const gen = await call(s.url, 'POST', ns, { metadata: { generateName: 'g-' } });
  assert.equal(gen.status, 201);
  assert.match(gen.json.metadata.name, /^g-[a-z0-9]{5}$/);

  const del = await call(s.url, 'DELETE', `${ns}/x`, { propagationPolicy: 'Background' });
  assert.equal(del.status, 200);
  assert.equal(del.json.status, 'Success');
  assert.equal(del.json.details.kind, 'configmaps');
  assert.equal((await call(s.url, 'GET', `${ns}/x`)).status, 404);
});

test('bad input: malformed body, wrong kind, unknown field under Strict', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const ns = '/api/v1/namespaces/default/configmaps';
  const cases: Array<[string, string, string, unknown, number, RegExp]> = [
    ['malformed json', 'POST', ns, '{"apiVersion":', 400, /json parse error/],
    ['wrong kind', 'POST', ns, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } }, 400, /Secret in version "v1" cannot be handled as a ConfigMap/],
    ['wrong group', 'POST', ns, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ConfigMap', metadata: { name: 'k' } }, 400, /does not match the expected API version/],
    ['unknown field strict', 'POST', `${ns}?fieldValidation=Strict`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k' }, foo: 1 }, 400, /strict decoding error: unknown field "foo"/],
    ['unknown namespace', 'POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'k' } }, 404, /namespaces "nope" not found/],
    ['unknown resource', 'GET', '/api/v1/bogus', undefined, 404, /the server could not find the requested resource/],
    ['smp not json', 'PATCH', `${ns}/k`, 'x', 415, /unknown format/],
  ];
  for (const [name, method, path, body, code, msg] of cases) {
    const headers: Record<string, string> = name === 'smp not json' ? { 'Content-Type': 'text/plain' } : {};
    const got = await call(s.url, method, path, body, headers);
    assert.equal(got.status, code, name);
    assert.equal(got.json.kind, 'Status', name);
    assert.match(got.json.message, msg, name);
  }
  const warn = await call(s.url, 'POST', `${ns}?fieldValidation=Warn`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, foo: 1 });
  assert.equal(warn.status, 201);
  assert.equal(warn.headers.get('warning'), '299 - "unknown field \\"foo\\""');
  assert.equal(warn.json.foo, undefined);
  assert.equal((await call(s.url, 'GET', `${ns}/w`)).status, 200, 'still serving');
});

test('protobuf create (kubectl create configmap)', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const body = encodeProtobuf('v1', 'ConfigMap', { metadata: { name: 'c1', namespace: '' }, data: { k: 'v' } });
  const res = await call(s.url, 'POST', '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict', new Uint8Array(body), { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf,application/json' });
  assert.equal(res.status, 201);
  assert.deepEqual(res.json.data, { k: 'v' });
  assert.equal(res.headers.get('content-type'), 'application/json');
});

test('tables, selectors and paging', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  for (const [name, team] of [['a', 'x'], ['b', 'y'], ['c', 'x']]) {
    await call(s.url, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name, labels: { team } }, data: { k: 'v' } });
  }
  const table = await call(s.url, 'GET', '/api/v1/namespaces/default/configmaps?limit=500', undefined, { Accept: TABLE });
  assert.equal(table.json.kind, 'Table');
  assert.deepEqual(table.json.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(table.json.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 2)), [['a', 1], ['b', 1], ['c', 1]]);
  assert.equal(table.json.rows[0].object.kind, 'PartialObjectMetadata');
  assert.equal(table.json.rows[0].object.metadata.namespace, 'default');

  const sel = await call(s.url, 'GET', '/api/v1/namespaces/default/configmaps?labelSelector=team%20in%20(x)');
  assert.deepEqual(sel.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'c']);
  const byName = await call(s.url, 'GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Db');
  assert.deepEqual(byName.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['b']);

  const p1 = await call(s.url, 'GET', '/api/v1/namespaces/default/configmaps?limit=2');
  assert.equal(p1.json.items.length, 2);
  assert.ok(p1.json.metadata.continue);
  const p2 = await call(s.url, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(p1.json.metadata.continue)}`);
  assert.deepEqual(p2.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c']);
  assert.equal(p2.json.metadata.continue, undefined);

  const ev = await call(s.url, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dx,involvedObject.namespace%3Ddefault,involvedObject.kind%3DConfigMap,involvedObject.uid%3Dabc&limit=500');
  assert.equal(ev.status, 200);
  assert.equal(ev.json.kind, 'EventList');
});

test('patches: merge, json, strategic, no-op keeps the resourceVersion, apply', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const path = '/api/v1/namespaces/default/services';
  const svc = await call(s.url, 'POST', path, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } });
  assert.equal(svc.status, 201, JSON.stringify(svc.json));
  assert.match(svc.json.spec.clusterIP, /^10\./);
  const smp = await call(s.url, 'PATCH', `${path}/web`, { spec: { ports: [{ port: 80, targetPort: 8080 }] } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
  assert.equal(smp.status, 200, JSON.stringify(smp.json));
  assert.deepEqual(smp.json.spec.ports.map((p: { port: number; targetPort: number }) => [p.port, p.targetPort]), [[80, 8080], [443, 443]]);
  const merge = await call(s.url, 'PATCH', `${path}/web`, { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(merge.json.metadata.labels.a, 'b');
  const noop = await call(s.url, 'PATCH', `${path}/web`, { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(noop.json.metadata.resourceVersion, merge.json.metadata.resourceVersion);
  const json = await call(s.url, 'PATCH', `${path}/web`, [{ op: 'remove', path: '/metadata/labels/a' }], { 'Content-Type': 'application/json-patch+json' });
  assert.equal(json.json.metadata.labels, undefined);

  const cm = '/api/v1/namespaces/default/configmaps/applied?fieldManager=kubectl&fieldValidation=Strict&force=false';
  const apply1 = await call(s.url, 'PATCH', cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { key1: 'v1' } }, { 'Content-Type': 'application/apply-patch+yaml' });
  assert.equal(apply1.status, 201, JSON.stringify(apply1.json));
  const apply2 = await call(s.url, 'PATCH', cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  key2: v2\n', { 'Content-Type': 'application/apply-patch+yaml' });
  assert.equal(apply2.status, 200);
  assert.deepEqual(apply2.json.data, { key2: 'v2' }, 'fields dropped from the applied config are removed');
  const other = await call(s.url, 'PATCH', cm.replace('fieldManager=kubectl', 'fieldManager=other'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { key2: 'x' } }, { 'Content-Type': 'application/apply-patch+yaml' });
  assert.equal(other.status, 409);
  assert.equal(other.json.message, 'Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.key2');
});

test('discovery: aggregated by Accept, legacy otherwise', async (t) => {
  const s = await startTestServer({ actions: { 'authorization.k8s.io/v1/selfsubjectaccessreviews': async (ctx) => ({ ...ctx.body, status: { allowed: true } }) } });
  t.after(() => s.close());
  const agg = await call(s.url, 'GET', '/api', undefined, { Accept: DISC });
  assert.equal(agg.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  const cm = agg.json.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'configmaps');
  assert.deepEqual(cm.shortNames, ['cm']);
  const apis = await call(s.url, 'GET', '/apis', undefined, { Accept: 'application/json, */*' });
  assert.equal(apis.json.kind, 'APIGroupList');
  const names = apis.json.groups.map((g: { name: string }) => g.name);
  assert.ok(names.includes('rbac.authorization.k8s.io'));
  assert.ok(names.includes('authorization.k8s.io'), 'served because its action exists');
  assert.ok(!names.includes('authentication.k8s.io'), 'no authentication actions given');
  const v1 = await call(s.url, 'GET', '/api/v1');
  assert.equal(v1.json.kind, 'APIResourceList');
  const ssar = await call(s.url, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
  assert.equal(ssar.status, 201);
  assert.equal(ssar.json.status.allowed, true);
  assert.equal(ssar.json.kind, 'SelfSubjectAccessReview');
});

test('openapi v3: root, per-GV document with GVK, hash redirect', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const root = await call(s.url, 'GET', '/openapi/v3');
  const url: string = root.json.paths['api/v1'].serverRelativeURL;
  assert.match(url, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  const doc = await call(s.url, 'GET', url);
  const patch = doc.json.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'ConfigMap' });
  assert.ok(patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
  assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
  const schema = doc.json.components.schemas['io.k8s.api.core.v1.ConfigMap'];
  assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'ConfigMap' }]);
  const redirect = await fetch(`${s.url}/openapi/v3/api/v1?hash=ABC`, { redirect: 'manual' });
  assert.equal(redirect.status, 301);
});

test('deleting a namespace deletes its contents; system namespaces are protected', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  assert.equal((await call(s.url, 'POST', '/api/v1/namespaces', { metadata: { name: 'tmp' } })).status, 201);
  assert.equal((await call(s.url, 'POST', '/api/v1/namespaces/tmp/configmaps', { metadata: { name: 'a' } })).status, 201);
  assert.equal((await call(s.url, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/tmp/roles', { metadata: { name: 'r' }, rules: [] })).status, 201);
  const del = await call(s.url, 'DELETE', '/api/v1/namespaces/tmp');
  assert.equal(del.status, 200, JSON.stringify(del.json));
  assert.equal((await call(s.url, 'GET', '/api/v1/configmaps')).json.items.length, 0);
  assert.equal((await call(s.url, 'GET', '/apis/rbac.authorization.k8s.io/v1/roles')).json.items.length, 0);
  const sys = await call(s.url, 'DELETE', '/api/v1/namespaces/kube-system');
  assert.equal(sys.status, 403);
  assert.equal(sys.json.message, 'namespaces "kube-system" is forbidden: this namespace may not be deleted');
});

test('cluster role aggregation is computed on write', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const base = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
  await call(s.url, 'POST', base, { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/agg': 'true' } }] } });
  await call(s.url, 'POST', base, { metadata: { name: 'part', labels: { 'example.com/agg': 'true' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] });
  assert.deepEqual((await call(s.url, 'GET', `${base}/agg`)).json.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
  await call(s.url, 'DELETE', `${base}/part`);
  assert.deepEqual((await call(s.url, 'GET', `${base}/agg`)).json.rules, []);
  const invalid = await call(s.url, 'POST', base, { metadata: { name: 'bad' }, rules: [{ apiGroups: [''], resources: ['pods'] }] });
  assert.equal(invalid.status, 422);
  assert.equal(invalid.json.message, 'ClusterRole.rbac.authorization.k8s.io "bad" is invalid: rules[0].verbs: Required value: verbs must contain at least one value');
});

test('duplicate fields under Strict are a 400, under Warn a warning', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":{"a":"1"},"data":{"b":"2"}}';
  const strict = await call(s.url, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
  assert.equal(strict.status, 400);
  assert.equal(strict.json.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data"');
  const warn = await call(s.url, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', body);
  assert.equal(warn.status, 201);
  assert.equal(warn.headers.get('warning'), '299 - "duplicate field \\"data\\""');
});

test('namespaced resources need a namespace except for list and watch', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  assert.equal((await call(s.url, 'POST', '/api/v1/configmaps', { metadata: { name: 'x' } })).status, 404);
  assert.equal((await call(s.url, 'GET', '/api/v1/configmaps/x')).status, 404);
  assert.equal((await call(s.url, 'GET', '/api/v1/configmaps')).status, 200);
  assert.equal((await call(s.url, 'GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/clusterroles')).status, 404);
});

test('service cluster IPs are unique and a taken or out-of-range one is refused', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const path = '/api/v1/namespaces/default/services';
  const ips = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const svc = await call(s.url, 'POST', path, { metadata: { name: `s${i}` }, spec: { ports: [{ port: 80 }] } });
    assert.equal(svc.status, 201);
    ips.add(svc.json.spec.clusterIP);
  }
  assert.equal(ips.size, 5);
  const taken = [...ips][0];
  const dup = await call(s.url, 'POST', path, { metadata: { name: 'dup' }, spec: { clusterIP: taken, ports: [{ port: 80 }] } });
  assert.equal(dup.status, 422);
  assert.equal(dup.json.message, `Service "dup" is invalid: spec.clusterIPs: Invalid value: ["${taken}"]: failed to allocate IP ${taken}: provided IP is already allocated`);
  const out = await call(s.url, 'POST', path, { metadata: { name: 'out' }, spec: { clusterIP: '192.168.0.1', ports: [{ port: 80 }] } });
  assert.equal(out.status, 422);
  const headless = await call(s.url, 'POST', path, { metadata: { name: 'headless' }, spec: { clusterIP: 'None', selector: { a: 'b' } } });
  assert.equal(headless.status, 201);
  assert.deepEqual(headless.json.spec.clusterIPs, ['None']);
});

test('every namespace gets a default ServiceAccount', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  assert.equal((await call(s.url, 'GET', '/api/v1/namespaces/kube-system/serviceaccounts/default')).status, 200);
  assert.equal((await call(s.url, 'POST', '/api/v1/namespaces', { metadata: { name: 'fresh' } })).status, 201);
  assert.equal((await call(s.url, 'GET', '/api/v1/namespaces/fresh/serviceaccounts/default')).status, 200);
  await s.api.bootstrap();
  assert.equal((await call(s.url, 'GET', '/api/v1/namespaces/default/serviceaccounts')).json.items.length, 1, 'bootstrap is idempotent');
});
