// The upstream sample-apiserver scenario (aggregation.md §8) in one process: kagg with the
// aggregator and RBAC in front, the wardle SDK server behind a Service/EndpointSlice and an
// APIService with its caBundle. The APIService becomes Available (the probe's identity
// crosses the front-proxy trust published in the ConfigMap), flunders are created, listed
// and deleted through the proxy, and a proxy certificate whose CN is not allowed makes the
// backend answer 401.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRequest } from '../support/apiserver.ts';
import { defaultAuthConfigMap, publishAuthConfigMap, startTestWardle } from '../support/extension.ts';
import { wardleRegistration, wardleServerName } from '../../examples/wardle/registration.ts';
import { eventually, makeCA, makeLeaf, readAPIService, startStack } from './aggregator-fixture.ts';

const FLUNDERS = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';

test('wardle behind the kagg aggregator: Available, CRUD through the proxy, RBAC at the front', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-wardle-agg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const proxyCA = await makeCA('front-proxy-ca');
  const proxyClient = await makeLeaf(proxyCA, 'front-proxy-client', 'client');
  await writeFile(join(dir, 'proxy.crt'), proxyClient.cert);
  await writeFile(join(dir, 'proxy.key'), proxyClient.key, { mode: 0o600 });

  const stack = await startStack(dir, { proxyClientCertFile: join(dir, 'proxy.crt'), proxyClientKeyFile: join(dir, 'proxy.key'), enableAggregatorRouting: true }, { authorizationMode: 'RBAC' }, { registry: true });
  t.after(() => stack.stop());
  const core = stack.server;
  await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), requestHeaderCA: proxyCA.pem });
  const wardle = await startTestWardle({ core, overrides: { secure: { port: 0, bindAddress: '127.0.0.1', certDir: join(dir, 'wardle-certs'), hosts: ['localhost', '127.0.0.1', wardleServerName()] } } });
  t.after(() => wardle.close());

  // Service, Endpoints, EndpointSlice and both APIServices, created through the API as an admin would.
  for (const [path, body] of wardleRegistration({ port: wardle.port, caBundle: wardle.caBundle }).ordered()) {
    const r = await apiRequest(core, path, { cert: core.pki.admin, body });
    assert.equal(r.status, 201, `${path}: ${r.text}`);
  }
  const available = await eventually('APIService Available', 30_000, async () => {
    const svc = await readAPIService(stack.store, 'v1alpha1.wardle.example.com');
    const cond = svc.status?.conditions?.[0];
    return cond?.status === 'True' ? cond : undefined;
  });
  assert.equal(available.message, 'all checks passed');
  await eventually('v1beta1 Available', 30_000, async () => ((await readAPIService(stack.store, 'v1beta1.wardle.example.com')).status?.conditions?.[0]?.status === 'True' ? true : undefined));
  const beta = await apiRequest(core, '/apis/wardle.example.com/v1beta1/namespaces/default/flunders', { cert: core.pki.admin });
  assert.equal(beta.status, 200, beta.text);

  const admin = { cert: core.pki.admin };
  const groups = await apiRequest(core, '/apis', admin);
  assert.ok((groups.json().groups as Array<{ name: string }>).some((g) => g.name === 'wardle.example.com'), groups.text);
  const resources = await apiRequest(core, '/apis/wardle.example.com/v1alpha1', admin);
  assert.deepEqual((resources.json().resources as Array<{ name: string }>).map((r) => r.name).sort(), ['fischers', 'flunders']);
  // A namespace created in the core server is usable on the backend at once (upstream step 5).
  assert.equal((await apiRequest(core, '/api/v1/namespaces', { ...admin, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'aggregator-1' } } })).status, 201);
  const dynamic = await apiRequest(core, '/apis/wardle.example.com/v1alpha1/namespaces/aggregator-1/flunders', { ...admin, body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'dynamic-flunder-1' } } });
  assert.equal(dynamic.status, 201, dynamic.text);
  const created = await apiRequest(core, FLUNDERS, { ...admin, body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'rest-flunder-1', labels: { 'sample-label': 'true' } } } });
  assert.equal(created.status, 201, created.text);
  const list = await apiRequest(core, FLUNDERS, admin);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual((list.json().items as Array<{ metadata: { name: string } }>).map((i) => i.metadata.name), ['rest-flunder-1']);
  const table = await apiRequest(core, FLUNDERS, { ...admin, headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
  assert.deepEqual((table.json().columnDefinitions as Array<{ name: string }>).map((c) => c.name), ['Name', 'Reference Type', 'Reference', 'Age']);
  const denied = await apiRequest(core, FLUNDERS, { cert: core.pki.jane });
  assert.equal(denied.status, 403);
  assert.match(String(denied.json().message), /User "jane" cannot list resource "flunders"/);
  const deleted = await apiRequest(core, `${FLUNDERS}/rest-flunder-1`, { ...admin, method: 'DELETE' });
  assert.equal(deleted.status, 200, deleted.text);

  // The backend stops trusting the proxy's CN: the availability probe now gets 401.
  await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), requestHeaderCA: proxyCA.pem, allowedNames: ['someone-else'] });
  const unavailable = await eventually('APIService unavailable', 30_000, async () => {
    const cond = (await readAPIService(stack.store, 'v1alpha1.wardle.example.com')).status?.conditions?.[0];
    return cond?.status === 'False' ? cond : undefined;
  });
  assert.equal(unavailable.reason, 'FailedDiscoveryCheck');
  assert.match(String(unavailable.message), /401/);
});

test('wardle behind the aggregator without endpoint routing: an ExternalName Service', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-wardle-agg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const proxyCA = await makeCA('front-proxy-ca');
  const proxyClient = await makeLeaf(proxyCA, 'front-proxy-client', 'client');
  await writeFile(join(dir, 'proxy.crt'), proxyClient.cert);
  await writeFile(join(dir, 'proxy.key'), proxyClient.key, { mode: 0o600 });
  const stack = await startStack(dir, { proxyClientCertFile: join(dir, 'proxy.crt'), proxyClientKeyFile: join(dir, 'proxy.key') }, { authorizationMode: 'RBAC' }, { registry: true });
  t.after(() => stack.stop());
  const core = stack.server;
  await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), requestHeaderCA: proxyCA.pem });
  const wardle = await startTestWardle({ core, overrides: { secure: { port: 0, bindAddress: '127.0.0.1', certDir: join(dir, 'wardle-certs'), hosts: ['localhost', '127.0.0.1', wardleServerName()] } } });
  t.after(() => wardle.close());
  const registration = wardleRegistration({ port: wardle.port, caBundle: wardle.caBundle, routing: 'external-name' });
  assert.equal(registration.endpoints, undefined);
  for (const [path, body] of registration.ordered()) {
    const r = await apiRequest(core, path, { cert: core.pki.admin, body });
    assert.equal(r.status, 201, `${path}: ${r.text}`);
  }
  await eventually('APIService Available', 30_000, async () => ((await readAPIService(stack.store, 'v1alpha1.wardle.example.com')).status?.conditions?.[0]?.status === 'True' ? true : undefined));
  const list = await apiRequest(core, FLUNDERS, { cert: core.pki.admin });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json().kind, 'FlunderList');
});
