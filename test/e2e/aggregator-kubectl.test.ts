// The real kubectl through kagg's aggregator and generic registry: APIService, Service and
// EndpointSlice applied with kubectl; `get apiservices` (server-side Table), `api-resources`
// listing the backend's resources, `get --raw /apis`, and `get -w` of a backend resource
// streamed through the proxy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolOptions } from '../support/tools.ts';
import { runKubectl } from '../support/kubectl.ts';
import { apiRequest } from '../support/apiserver.ts';
import { eventually, GROUP, makeCA, makeLeaf, SERVER_NAME, startBackend, startStack, VERSION } from './aggregator-fixture.ts';


test('kubectl: apiservices table, api-resources, get --raw /apis, get -w through the proxy', toolOptions('kubectl'), async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-agg-kubectl-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [proxyCA, servingCA] = await Promise.all([makeCA('front-proxy-ca'), makeCA('wardle-ca')]);
  const [proxyClient, serving] = await Promise.all([makeLeaf(proxyCA, 'front-proxy-client', 'client'), makeLeaf(servingCA, SERVER_NAME, 'server', [SERVER_NAME])]);
  await writeFile(join(dir, 'proxy.crt'), proxyClient.cert);
  await writeFile(join(dir, 'proxy.key'), proxyClient.key);
  const backend = await startBackend({ serving, clientCA: proxyCA.pem });
  t.after(() => backend.stop());
  // Endpoint routing: the Service gets a ClusterIP nobody routes here, the slice says 127.0.0.1.
  const stack = await startStack(dir, { proxyClientCertFile: join(dir, 'proxy.crt'), proxyClientKeyFile: join(dir, 'proxy.key'), enableAggregatorRouting: true }, {}, { registry: true });
  t.after(() => stack.stop());
  // Started: every post-start hook and autoregister-completion pass.
  await eventually('aggregator ready', 10_000, async () => (stack.aggregator.ready() === undefined ? true : undefined));
  for (const h of stack.aggregator.healthChecks) await h.check();
  const kc = stack.server.kubeconfig;
  const cache = join(dir, 'kube-cache');
  const k = (args: string[], opts?: { until?: RegExp; timeoutMs?: number }) => runKubectl(kc, cache, args, opts);

  const manifest = [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: wardle',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: wardle\nspec:\n  ports:\n  - name: https\n    port: 443\n    targetPort: 8443',
    `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: api-1\n  namespace: wardle\n  labels:\n    kubernetes.io/service-name: api\naddressType: IPv4\nendpoints:\n- addresses: ["127.0.0.1"]\n  conditions:\n    ready: true\nports:\n- name: https\n  port: ${backend.port}\n  protocol: TCP`,
    `apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: ${VERSION}.${GROUP}\nspec:\n  service:\n    namespace: wardle\n    name: api\n  group: ${GROUP}\n  version: ${VERSION}\n  caBundle: ${Buffer.from(servingCA.pem).toString('base64')}\n  groupPriorityMinimum: 2000\n  versionPriority: 200`,
  ].join('\n---\n');
  const file = join(dir, 'wardle.yaml');
  await writeFile(file, `${manifest}\n`);
  const applied = await k(['apply', '-f', file]);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, new RegExp(`apiservice.apiregistration.k8s.io/${VERSION}.${GROUP} created`));

  // Defaulted port and a bad APIService rejected with the upstream message.
  const port = await k(['get', 'apiservice', `${VERSION}.${GROUP}`, '-o', 'jsonpath={.spec.service.port}']);
  assert.equal(port.stdout, '443');
  const badFile = join(dir, 'bad.yaml');
  await writeFile(badFile, `apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1.wrong.example.com\nspec:\n  group: other.example.com\n  version: v1\n  groupPriorityMinimum: 100\n  versionPriority: 10\n  service:\n    namespace: wardle\n    name: api\n`);
  const bad = await k(['apply', '-f', badFile]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /metadata\.name: Invalid value: "v1\.wrong\.example\.com": must be `spec\.version\+"\."\+spec\.group`: "v1\.other\.example\.com"/);

  const table = await eventually('APIService available in kubectl get apiservices', 20_000, async () => {
    const r = await k(['get', 'apiservices']);
    return new RegExp(`^${VERSION}\\.${GROUP.replace(/\./g, '\\.')}\\s+wardle/api\\s+True\\s+\\S+$`, 'm').test(r.stdout) ? r.stdout : undefined;
  });
  assert.match(table, /^NAME\s+SERVICE\s+AVAILABLE\s+AGE$/m);
  assert.match(table, /^v1\.\s+Local\s+True\s+\S+$/m);

  const resources = await eventually('api-resources lists flunders', 20_000, async () => {
    const r = await k(['api-resources']);
    return /^flunders\s+wardle\.example\.com\/v1alpha1\s+true\s+Flunder$/m.test(r.stdout) ? r : undefined;
  });
  assert.match(resources.stdout, /^apiservices\s+apiregistration\.k8s\.io\/v1\s+false\s+APIService$/m);

  const raw = await k(['get', '--raw', '/apis']);
  assert.equal(raw.code, 0, raw.stderr);
  const groups = (JSON.parse(raw.stdout).groups as Array<{ name: string }>).map((g) => g.name);
  assert.equal(groups[0], 'apiregistration.k8s.io');
  assert.ok(groups.includes(GROUP), groups.join(','));

  // kubectl's discovery cache (filled by `apply` before the APIService existed) picks up the new group.
  const listed = await k(['get', 'flunders']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(`${listed.stdout}${listed.stderr}`, /No resources found in default namespace/);

  // /status writes keep foreign conditions; the controller keeps Available first and Passed (spec 8.2.6, 8.2.10).
  const statusPath = `/apis/apiregistration.k8s.io/v1/apiservices/${VERSION}.${GROUP}/status`;
  const current = (await apiRequest(stack.server, statusPath, { cert: stack.server.pki.admin })).json() as { status: { conditions: Array<Record<string, string>> } };
  current.status.conditions.push({ type: 'StatusUpdated', status: 'True', reason: 'E2E', message: 'Set from e2e test' });
  const put = await apiRequest(stack.server, statusPath, { cert: stack.server.pki.admin, method: 'PUT', body: current });
  assert.equal(put.status, 200, put.text);
  await new Promise((r) => setTimeout(r, 1_500)); // several re-check periods (500 ms here)
  const after = (await apiRequest(stack.server, statusPath, { cert: stack.server.pki.admin })).json() as { status: { conditions: Array<Record<string, string>> } };
  assert.deepEqual(after.status.conditions.map((c) => c.type), ['Available', 'StatusUpdated']);
  assert.equal(after.status.conditions[0].message, 'all checks passed');

  const watched = await k(['get', 'flunders', '-w'], { until: /\bf3\b/, timeoutMs: 20_000 });
  assert.match(watched.stdout, /\bf1\b[\s\S]*\bf2\b[\s\S]*\bf3\b/, `${watched.stdout}\n${watched.stderr}`);
  assert.ok(backend.requests.some((r) => r.path.includes('watch=')), 'the watch reached the backend');
});
