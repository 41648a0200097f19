// Availability transitions against a real backend (spec 4): stopped backend ⇒ False with
// the upstream reason within the re-check period and 503 `service unavailable` for
// requests; started again ⇒ True; wrong caBundle ⇒ FailedDiscoveryCheck with an x509
// message; missing Service / port ⇒ ServiceNotFound / ServicePortError. And /apis ordering
// of the spec's worked example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRequest } from '../support/apiserver.ts';
import type { APIServiceCondition } from '../../src/aggregator/apis/types.ts';
import { apiService, createAPIService, eventually, GROUP, makeCA, makeLeaf, readAPIService, registerService, SERVER_NAME, startBackend, startStack, VERSION } from './aggregator-fixture.ts';

const NAME = `${VERSION}.${GROUP}`;
const LIST_PATH = `/apis/${GROUP}/${VERSION}/namespaces/default/flunders`;

async function available(store: Parameters<typeof readAPIService>[0], name: string): Promise<APIServiceCondition | undefined> {
  return (await readAPIService(store, name)).status?.conditions?.find((c) => c.type === 'Available');
}

test('backend stopped ⇒ False/FailedDiscoveryCheck and 503; started again ⇒ True; wrong caBundle ⇒ x509', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-agg-avail-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [proxyCA, servingCA, otherCA] = await Promise.all([makeCA('front-proxy-ca'), makeCA('wardle-ca'), makeCA('not-the-wardle-ca')]);
  const [proxyClient, serving] = await Promise.all([makeLeaf(proxyCA, 'front-proxy-client', 'client'), makeLeaf(servingCA, SERVER_NAME, 'server', [SERVER_NAME])]);
  await writeFile(join(dir, 'proxy.crt'), proxyClient.cert);
  await writeFile(join(dir, 'proxy.key'), proxyClient.key);
  const backend = await startBackend({ serving, clientCA: proxyCA.pem });
  t.after(() => backend.stop());
  const stack = await startStack(dir, { proxyClientCertFile: join(dir, 'proxy.crt'), proxyClientKeyFile: join(dir, 'proxy.key'), availabilityResyncMs: 500 });
  t.after(() => stack.stop());
  const { store } = stack;
  const s = stack.server;
  await registerService(store, backend.port);
  await createAPIService(store, apiService(VERSION, GROUP, 2000, 200, { name: 'api', port: backend.port, caBundle: Buffer.from(servingCA.pem).toString('base64') }));
  await eventually('Available=True', 20_000, async () => ((await available(store, NAME))?.status === 'True' ? true : undefined));
  assert.equal((await apiRequest(s, LIST_PATH, { cert: s.pki.admin })).status, 200);
  // Steady state: several re-checks, no status write (spec 4.2.4).
  const rv = (await readAPIService(store, NAME)).metadata.resourceVersion;
  await new Promise((r) => setTimeout(r, 1_600));
  assert.equal((await readAPIService(store, NAME)).metadata.resourceVersion, rv);
  const probes = backend.requests.filter((r) => r.path === `/apis/${GROUP}/${VERSION}`).length;
  assert.ok(probes >= 10, `re-checked periodically (${probes} probe requests)`);

  // Stop the backend: the re-check period (500 ms here, 30 s upstream) flips the condition.
  await backend.stop();
  const stoppedAt = Date.now();
  await eventually('Available=False', 10_000, async () => ((await available(store, NAME))?.status === 'False' ? true : undefined));
  assert.ok(Date.now() - stoppedAt < 5_000, 'condition flipped within a few re-check periods');
  // A probe in flight on a kept-alive connection may first see the reset; the next
  // re-checks dial and are refused, and the message follows.
  const down = await eventually('connection refused message', 10_000, async () => {
    const c = await available(store, NAME);
    return c?.status === 'False' && /connection refused/.test(c.message ?? '') ? c : undefined;
  });
  assert.equal(down.reason, 'FailedDiscoveryCheck');
  assert.match(down.message ?? '', new RegExp(`^failing or missing response from https://127\\.0\\.0\\.1:${backend.port}/apis/${GROUP}/${VERSION}: .*connect: connection refused`));
  assert.match(down.lastTransitionTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const unavailable = await eventually('proxy answers 503', 5_000, async () => {
    const r = await apiRequest(s, LIST_PATH, { cert: s.pki.admin });
    return r.status === 503 ? r : undefined;
  });
  assert.equal(unavailable.text, 'service unavailable\n');
  assert.match(String(unavailable.headers['content-type']), /^text\/plain; charset=utf-8/);
  assert.equal(unavailable.headers['x-content-type-options'], 'nosniff');

  // Start it again on the same port.
  await backend.start();
  const up = await eventually('Available=True again', 10_000, async () => {
    const c = await available(store, NAME);
    return c?.status === 'True' ? c : undefined;
  });
  assert.equal(up.reason, 'Passed');
  assert.notEqual(up.lastTransitionTime, undefined);
  await eventually('proxy answers 200 again', 5_000, async () => ((await apiRequest(s, LIST_PATH, { cert: s.pki.admin })).status === 200 ? true : undefined));

  // A caBundle from another CA: FailedDiscoveryCheck with an x509 message; proxied
  // requests would fail the same way.
  await createAPIService(store, apiService('v1beta1', GROUP, 2000, 100, { name: 'api', port: backend.port, caBundle: Buffer.from(otherCA.pem).toString('base64') }));
  const wrong = await eventually('wrong caBundle ⇒ False', 10_000, async () => {
    const c = await available(store, `v1beta1.${GROUP}`);
    return c?.status === 'False' ? c : undefined;
  });
  assert.equal(wrong.reason, 'FailedDiscoveryCheck');
  assert.match(wrong.message ?? '', /tls: failed to verify certificate: x509: certificate signed by unknown authority/);

  // Missing Service and a port the Service does not expose.
  await createAPIService(store, apiService('v1', 'missing.example.com', 100, 100, { name: 'nope', port: 443 }));
  await createAPIService(store, apiService('v2', GROUP, 2000, 50, { name: 'api', port: 4443 }));
  const missing = await eventually('ServiceNotFound', 10_000, async () => {
    const c = await available(store, 'v1.missing.example.com');
    return c?.status === 'False' ? c : undefined;
  });
  assert.deepEqual([missing.reason, missing.message], ['ServiceNotFound', 'service/nope in "wardle" is not present']);
  const port = await eventually('ServicePortError', 10_000, async () => {
    const c = await available(store, `v2.${GROUP}`);
    return c?.status === 'False' ? c : undefined;
  });
  assert.deepEqual([port.reason, port.message], ['ServicePortError', 'service/api in "wardle" is not listening on port 4443']);
});

test('/apis ordering of the worked example through the server', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-agg-order-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const stack = await startStack(dir, {});
  t.after(() => stack.stop());
  const all = [
    apiService('v1', '', 18000, 1),
    apiService('v1', 'apps', 17800, 15),
    apiService('v1alpha1', 'wardle.example.com', 2000, 200, { name: 'api', port: 443 }),
    apiService('v1beta1', 'wardle.example.com', 2000, 200, { name: 'api', port: 443 }),
    apiService('v1', 'wardle.example.com', 100, 300, { name: 'api', port: 443 }),
    apiService('v1beta1', 'metrics.k8s.io', 100, 100, { name: 'metrics', port: 443 }),
    apiService('v1', 'zeta.example.com', 2000, 15, { name: 'zeta', port: 443 }),
    apiService('v2', 'alpha.example.com', 2000, 15, { name: 'alpha', port: 443 }),
    apiService('v1', 'rbac.authorization.k8s.io', 17000, 15),
  ];
  for (const svc of all) await createAPIService(stack.store, svc);
  const s = stack.server;
  const body = await eventually('every APIService listed', 10_000, async () => {
    const r = await apiRequest(s, '/apis', { cert: s.pki.admin });
    const groups = r.json().groups as Array<{ name: string; versions: Array<{ version: string }>; preferredVersion: { version: string } }>;
    return groups.length === 7 ? groups : undefined;
  });
  assert.deepEqual(body.map((g) => [g.name, g.versions.map((v) => v.version), g.preferredVersion.version]), [
    ['apiregistration.k8s.io', ['v1'], 'v1'],
    ['apps', ['v1'], 'v1'],
    ['rbac.authorization.k8s.io', ['v1'], 'v1'],
    ['zeta.example.com', ['v1'], 'v1'],
    ['wardle.example.com', ['v1', 'v1beta1', 'v1alpha1'], 'v1'],
    ['alpha.example.com', ['v2'], 'v2'],
    ['metrics.k8s.io', ['v1beta1'], 'v1beta1'],
  ]);
  // An unavailable remote group/version answers 503 plain; an unknown version falls through.
  const r = await apiRequest(s, '/apis/metrics.k8s.io/v1beta1', { cert: s.pki.admin });
  assert.deepEqual([r.status, r.text], [503, 'service unavailable\n']);
  const unknown = await apiRequest(s, '/apis/metrics.k8s.io/v1', { cert: s.pki.admin });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json().kind, 'Status');
});
