import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../registry/testing/test-server.ts';

test('openapi v2: JSON for JSON clients, 404 for the protobuf-only Accept kubectl sends', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const pb = await fetch(`${s.url}/openapi/v2?timeout=32s`, { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
  assert.equal(pb.status, 404);
  const json = await fetch(`${s.url}/openapi/v2`, { headers: { Accept: 'application/json' } });
  assert.equal(json.status, 200);
  const doc = await json.json();
  assert.equal(doc.swagger, '2.0');
  const cm = doc.definitions['io.k8s.api.core.v1.ConfigMap'];
  assert.deepEqual(cm['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'ConfigMap' }]);
  assert.equal(cm.properties.metadata.allOf[0].$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  assert.equal(patch.parameters[0].in, 'body');
});

test('openapi v3: every served group-version has a document; ETag and immutable caching with the hash', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const root = await (await fetch(`${s.url}/openapi/v3`)).json();
  assert.deepEqual(Object.keys(root.paths).sort(), ['api/v1', 'apis/coordination.k8s.io/v1', 'apis/discovery.k8s.io/v1', 'apis/rbac.authorization.k8s.io/v1']);
  const url = root.paths['apis/rbac.authorization.k8s.io/v1'].serverRelativeURL;
  const res = await fetch(`${s.url}${url}`);
  assert.equal(res.headers.get('cache-control'), 'public, immutable');
  const etag = res.headers.get('etag')!;
  const doc = await res.json();
  const role = doc.components.schemas['io.k8s.api.rbac.v1.Role'];
  assert.deepEqual(role['x-kubernetes-group-version-kind'], [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' }]);
  assert.ok(doc.components.schemas['io.k8s.api.rbac.v1.PolicyRule'], 'referenced schemas are included');
  const again = await fetch(`${s.url}${url}`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});
