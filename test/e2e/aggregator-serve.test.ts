// `kagg serve` as a process, with --proxy-client-cert-file/--proxy-client-key-file and
// --enable-aggregator-routing: an APIService applied with kubectl becomes Available, its
// resources are listed and proxied, WebSocket upgrades tunnel through the whole chain, and
// kube-system/extension-apiserver-authentication is published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { toolOptions } from '../support/tools.ts';
import { runKubectl } from '../support/kubectl.ts';
import { apiRequest, startTestApiServer } from '../support/apiserver.ts';
import { eventually, GROUP, makeCA, makeLeaf, SERVER_NAME, startBackend, VERSION } from './aggregator-fixture.ts';


test('kagg serve: aggregated API end to end, upgrades through the chain, auth ConfigMap', toolOptions('kubectl'), async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-agg-serve-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [proxyCA, servingCA] = await Promise.all([makeCA('front-proxy-ca'), makeCA('wardle-ca')]);
  const [proxyClient, serving] = await Promise.all([makeLeaf(proxyCA, 'front-proxy-client', 'client'), makeLeaf(servingCA, SERVER_NAME, 'server', [SERVER_NAME])]);
  await writeFile(join(dir, 'proxy.crt'), proxyClient.cert);
  await writeFile(join(dir, 'proxy.key'), proxyClient.key);
  const backend = await startBackend({ serving, clientCA: proxyCA.pem });
  t.after(() => backend.stop());
  const server = await startTestApiServer({ child: true, args: [`--proxy-client-cert-file=${join(dir, 'proxy.crt')}`, `--proxy-client-key-file=${join(dir, 'proxy.key')}`, '--enable-aggregator-routing=true'] });
  t.after(() => server.close());
  const k = (args: string[]) => runKubectl(server.kubeconfig, join(dir, 'kube-cache'), args);

  const manifest = [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: wardle',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: wardle\nspec:\n  ports:\n  - name: https\n    port: 443\n    targetPort: 8443',
    `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: api-1\n  namespace: wardle\n  labels:\n    kubernetes.io/service-name: api\naddressType: IPv4\nendpoints:\n- addresses: ["127.0.0.1"]\nports:\n- name: https\n  port: ${backend.port}`,
    `apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: ${VERSION}.${GROUP}\nspec:\n  service:\n    namespace: wardle\n    name: api\n  group: ${GROUP}\n  version: ${VERSION}\n  caBundle: ${Buffer.from(servingCA.pem).toString('base64')}\n  groupPriorityMinimum: 2000\n  versionPriority: 200`,
  ].join('\n---\n');
  const file = join(dir, 'wardle.yaml');
  await writeFile(file, `${manifest}\n`);
  const applied = await k(['apply', '-f', file]);
  assert.equal(applied.code, 0, applied.stderr);

  // The default re-check period is 30 s; the add event triggers the first check at once.
  await eventually('APIService Available', 40_000, async () => {
    const r = await k(['get', 'apiservice', `${VERSION}.${GROUP}`, '-o', 'jsonpath={.status.conditions[0].reason}']);
    return r.stdout === 'Passed' ? true : undefined;
  });
  const listed = await eventually('flunders listed through the proxy', 20_000, async () => {
    const r = await k(['get', 'flunders', '-o', 'json']);
    return r.code === 0 ? r : undefined;
  });
  assert.equal(JSON.parse(listed.stdout).kind, 'List');

  // WebSocket upgrade through authentication, authorization (RBAC) and the aggregator.
  const ws = new WebSocket(new URL(`/apis/${GROUP}/${VERSION}/namespaces/default/flunders/f1/exec`, server.url.replace(/^https/, 'wss')).toString(), ['v5.channel.k8s.io'], { ca: server.pki.ca.cert, cert: server.pki.admin.cert, key: server.pki.admin.key, headers: { 'X-Remote-User': 'mallory' } });
  t.after(() => ws.terminate());
  const first = await new Promise<string>((resolve, reject) => {
    ws.once('message', (m: Buffer) => resolve(m.toString()));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const seen = JSON.parse(first) as { user: string[]; groups: string[]; protocol: string };
  assert.deepEqual(seen.user, ['kubernetes-admin']);
  assert.ok(seen.groups.includes('system:masters'), seen.groups.join(','));
  assert.equal(seen.protocol, 'v5.channel.k8s.io');
  const echo = new Promise<string>((resolve) => ws.once('message', (m: Buffer) => resolve(m.toString())));
  ws.send('ping through the tunnel');
  assert.equal(await echo, 'ping through the tunnel');

  // A user RBAC does not allow is refused by kagg (403) and never reaches the backend (spec 2.1.1).
  const before = backend.requests.length;
  const denied = await new Promise<number>((resolve) => {
    const w = new WebSocket(new URL(`/apis/${GROUP}/${VERSION}/namespaces/default/flunders/f1/exec`, server.url.replace(/^https/, 'wss')).toString(), { ca: server.pki.ca.cert, cert: server.pki.jane.cert, key: server.pki.jane.key });
    w.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    w.on('error', () => {});
  });
  assert.equal(denied, 403);
  assert.equal(backend.requests.slice(before).filter((r) => r.path.endsWith('/exec')).length, 0);

  // The authentication ConfigMap carries the requestheader settings kagg was started with.
  const cm = await eventually('extension-apiserver-authentication', 10_000, async () => {
    const r = await apiRequest(server, '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication', { cert: server.pki.admin });
    return r.status === 200 ? (r.json().data as Record<string, string>) : undefined;
  });
  assert.equal(cm['requestheader-username-headers'], '["X-Remote-User"]');
  assert.equal(cm['requestheader-allowed-names'], '["front-proxy-client"]');
  assert.match(cm['requestheader-client-ca-file'], /BEGIN CERTIFICATE/);
  assert.match(cm['client-ca-file'], /BEGIN CERTIFICATE/);

  // /readyz is green once the aggregator started.
  const ready = await apiRequest(server, '/readyz?verbose', { cert: server.pki.admin });
  assert.equal(ready.status, 200, ready.text);
});
