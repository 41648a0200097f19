// Replacing the proxy client certificate on disk changes the certificate the backend sees,
// with no restart and no failed request (spec 2.7.3); the availability gauge follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { apiRequest } from '../support/apiserver.ts';
import { apiService, createAPIService, eventually, GROUP, makeCA, makeLeaf, readAPIService, registerService, replacePair, SERVER_NAME, startBackend, startStack, VERSION } from './aggregator-fixture.ts';

const LIST_PATH = `/apis/${GROUP}/${VERSION}/namespaces/default/flunders`;

test('proxy client cert replaced on disk: backend sees the new cert, no request fails', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-agg-reload-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [proxyCA, servingCA] = await Promise.all([makeCA('front-proxy-ca'), makeCA('wardle-ca')]);
  const [first, second, serving] = await Promise.all([
    makeLeaf(proxyCA, 'front-proxy-client', 'client'),
    makeLeaf(proxyCA, 'front-proxy-client-rotated', 'client'),
    makeLeaf(servingCA, SERVER_NAME, 'server', [SERVER_NAME]),
  ]);
  const certFile = join(dir, 'front-proxy-client.crt');
  const keyFile = join(dir, 'front-proxy-client.key');
  await writeFile(certFile, first.cert);
  await writeFile(keyFile, first.key);
  const backend = await startBackend({ serving, clientCA: proxyCA.pem });
  t.after(() => backend.stop());
  const registry = new Registry();
  const stack = await startStack(dir, { proxyClientCertFile: certFile, proxyClientKeyFile: keyFile, certCheckIntervalMs: 300, registry });
  t.after(() => stack.stop());
  await registerService(stack.store, backend.port);
  await createAPIService(stack.store, apiService(VERSION, GROUP, 2000, 200, { name: 'api', port: backend.port, caBundle: Buffer.from(servingCA.pem).toString('base64') }));
  await eventually('Available', 20_000, async () => ((await readAPIService(stack.store, `${VERSION}.${GROUP}`)).status?.conditions?.[0]?.status === 'True' && stack.aggregator.routes.byName(`${VERSION}.${GROUP}`)?.available ? true : undefined));
  const gauge = await registry.getSingleMetricAsString('aggregator_unavailable_apiservice');
  assert.match(gauge, new RegExp(`aggregator_unavailable_apiservice\\{name="${VERSION}\\.${GROUP}"\\} 0`));

  const s = stack.server;
  const statuses: number[] = [];
  let stop = false;
  const traffic = (async () => {
    for (let i = 0; i < 2000 && !stop; i++) {
      const r = await apiRequest(s, LIST_PATH, { cert: s.pki.admin });
      statuses.push(r.status);
    }
  })();
  await eventually('traffic flowing', 5_000, async () => (statuses.length >= 3 ? true : undefined));
  const before = stack.aggregator.proxyClientCertGeneration();
  await replacePair(certFile, keyFile, second);
  await eventually('backend sees the rotated cert', 10_000, async () => (backend.requests.some((r) => r.peerCN === 'front-proxy-client-rotated' && r.path.startsWith(LIST_PATH)) ? true : undefined));
  const seenAt = statuses.length;
  await eventually('more traffic after rotation', 5_000, async () => (statuses.length >= seenAt + 5 ? true : undefined));
  stop = true;
  await traffic;
  assert.ok(stack.aggregator.proxyClientCertGeneration() > before);
  assert.ok(statuses.length >= 8);
  assert.deepEqual([...new Set(statuses)], [200], `every proxied request succeeded (${statuses.length})`);
  const cns = [...new Set(backend.requests.filter((r) => r.path.startsWith(LIST_PATH)).map((r) => r.peerCN))];
  assert.deepEqual(cns, ['front-proxy-client', 'front-proxy-client-rotated']);
  const last = backend.requests.filter((r) => r.path.startsWith(LIST_PATH)).at(-1);
  assert.equal(last?.peerCN, 'front-proxy-client-rotated');
});
