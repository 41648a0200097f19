// `kagg doctor --kubeconfig` against a small in-test HTTPS server that serves the
// Kubernetes API shapes the online checks read (APIServices, the
// extension-apiserver-authentication ConfigMap, Services, pods, RBAC bindings, namespaces,
// CRDs, /readyz, aggregated discovery). A unit test of the online module: a real kagg
// server test comes with the server. One healthy baseline, one mutation per diagnostic.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConfigMap, Namespace, Pod, Service } from 'kubernetes-types/core/v1.d.ts';
import type { ClusterRoleBinding, RoleBinding } from 'kubernetes-types/rbac/v1.d.ts';
import { main } from '../../src/cli/bin.ts';
import type { APIService } from '../../src/aggregator/apis/types.ts';
import type { DiagnosticId } from '../../src/config/doctor/catalog.ts';
import type { Finding } from '../../src/config/doctor/types.ts';
import { captureIO } from '../support/cli-io.ts';
import { fixture } from '../fixtures/config/golden.ts';
import { makeAggregationTree, makeCA, makeLeaf } from '../fixtures/config/pki.ts';
import { parseManifest } from '../../src/config/manifest.ts';

const SEED_ARGS = parseManifest(readFileSync(fixture('seed-kube-apiserver.yaml'), 'utf8'), 'seed').args;

interface FakeCluster {
  apiservices: APIService[];
  configMap: ConfigMap | null;
  services: Record<string, Service>;
  pods: Record<string, Pod[]>;
  roleBindings: RoleBinding[];
  clusterRoleBindings: ClusterRoleBinding[];
  namespaces: Namespace[];
  crds: Array<{ spec: { group: string; versions: Array<{ name: string; served: boolean }> } }>;
  readyz: string;
  discovery: { items: Array<{ metadata: { name: string }; versions: Array<{ version: string; freshness: string }> }> };
  probes: Record<string, { status: number; body: string }>;
}

const TOKEN = 'doctor-test-token';

describe('kagg doctor --kubeconfig', () => {
  const root = mkdtempSync(join(tmpdir(), 'kagg-doctor-online-'));
  const pki = join(root, 'pki');
  let server: Server;
  let state: FakeCluster;
  let kubeconfig: string;
  let certKubeconfig: string;
  let badKubeconfig: string;
  let pem: (name: string) => string;
  const requests: string[] = [];

  function baseline(): FakeCluster {
    const remote = (name: string, group: string, version: string, ns: string, svc: string): APIService => ({
      apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name },
      spec: { group, version, service: { namespace: ns, name: svc, port: 443 }, insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 100 },
      status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' }] },
    });
    return {
      apiservices: [
        { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.' }, spec: { version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local', message: 'Local APIServices are always available' }] } },
        remote('v1beta1.metrics.k8s.io', 'metrics.k8s.io', 'v1beta1', 'kube-system', 'metrics-server'),
      ],
      configMap: {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extension-apiserver-authentication', namespace: 'kube-system' },
        data: {
          'client-ca-file': pem('ca.crt'),
          'requestheader-client-ca-file': pem('front-proxy-ca.crt'),
          'requestheader-allowed-names': '["front-proxy-client"]',
          'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
          'requestheader-group-headers': '["X-Remote-Group"]',
          'requestheader-username-headers': '["X-Remote-User"]',
        },
      },
      services: { 'kube-system/metrics-server': { metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { clusterIP: '10.96.5.5', selector: { 'k8s-app': 'metrics-server' }, ports: [{ name: 'https', port: 443, targetPort: 'https' }] } } },
      pods: {
        'kube-system': [
          { metadata: { name: 'metrics-server-1', namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } }, spec: { serviceAccountName: 'metrics-server', containers: [] } },
          // the kubelet's mirror of the static pod: the doctor reads kube-apiserver's flags from it
          {
            metadata: { name: 'kube-apiserver-node1', namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
            spec: {
              containers: [{ name: 'kube-apiserver', command: ['kube-apiserver', ...SEED_ARGS], volumeMounts: [{ name: 'k8s-certs', mountPath: '/etc/kubernetes/pki', readOnly: true }] }],
              volumes: [{ name: 'k8s-certs', hostPath: { path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate' } }],
            },
          },
        ],
      },
      roleBindings: [{ metadata: { name: 'metrics-server-auth-reader', namespace: 'kube-system' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: 'kube-system' }] }],
      clusterRoleBindings: [{ metadata: { name: 'metrics-server:system:auth-delegator' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' }, subjects: [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: 'kube-system' }] }],
      namespaces: [{ metadata: { name: 'default' }, status: { phase: 'Active' } }],
      crds: [{ spec: { group: 'stable.example.com', versions: [{ name: 'v1', served: true }] } }],
      readyz: '[+]ping ok\n[+]poststarthook/apiservice-registration-controller ok\n[+]autoregister-completion ok\nreadyz check passed\n',
      discovery: { items: [{ metadata: { name: 'metrics.k8s.io' }, versions: [{ version: 'v1beta1', freshness: 'Current' }] }] },
      probes: { '/apis/metrics.k8s.io/v1beta1': { status: 200, body: '{"kind":"APIResourceList"}' } },
    };
  }

  function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
  const notFound = (what: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${what} not found`, reason: 'NotFound', code: 404 });

  before(async () => {
    await makeAggregationTree(pki);
    pem = (name) => readFileSync(join(pki, name), 'utf8');
    const serverCa = await makeCA(join(root, 'server'), 'ca.crt', 'ca.key', 'test-server-ca');
    await makeLeaf(join(root, 'server'), 'tls.crt', 'tls.key', { cn: 'kube-apiserver', ca: serverCa, eku: ['serverAuth'], sans: { ip: ['127.0.0.1'] } });
    const admin = await makeLeaf(join(root, 'server'), 'admin.crt', 'admin.key', { cn: 'kubernetes-admin', org: 'system:masters', ca: { cert: join(pki, 'ca.crt'), key: join(pki, 'ca.key') } });
    state = baseline();
    server = createServer({ cert: readFileSync(join(root, 'server', 'tls.crt')), key: readFileSync(join(root, 'server', 'tls.key')), ca: readFileSync(join(pki, 'ca.crt')), requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://x');
      requests.push(url.pathname + url.search);
      const socket = req.socket as TLSSocket;
      const byToken = req.headers.authorization === `Bearer ${TOKEN}`;
      const byCert = socket.authorized && socket.getPeerCertificate().subject?.CN === 'kubernetes-admin';
      if (!byToken && !byCert) return json(res, 401, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      const p = url.pathname;
      let m: RegExpExecArray | null;
      if (p === '/apis/apiregistration.k8s.io/v1/apiservices') return json(res, 200, { kind: 'APIServiceList', items: state.apiservices });
      if (p === '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication') return state.configMap ? json(res, 200, state.configMap) : json(res, 404, notFound('configmaps "extension-apiserver-authentication"'));
      if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)$/.exec(p))) {
        const s = state.services[`${m[1]}/${m[2]}`];
        return s ? json(res, 200, s) : json(res, 404, notFound(`services "${m[2]}"`));
      }
      if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p))) {
        const [k, v] = (url.searchParams.get('labelSelector') ?? '').split('=');
        return json(res, 200, { items: (state.pods[m[1]] ?? []).filter((pod) => pod.metadata?.labels?.[k] === v) });
      }
      if (p === '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings') return json(res, 200, { items: state.roleBindings.filter((b) => b.metadata?.namespace === 'kube-system') });
      if (p === '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings') return json(res, 200, { items: state.clusterRoleBindings });
      if (p === '/api/v1/namespaces') return json(res, 200, { items: state.namespaces });
      if (p === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions') return json(res, 200, { items: state.crds });
      if (p === '/readyz') {
        res.writeHead(state.readyz.includes('[-]') ? 500 : 200, { 'content-type': 'text/plain' });
        return res.end(state.readyz);
      }
      if (p === '/apis') return json(res, 200, { kind: 'APIGroupDiscoveryList', ...state.discovery });
      const probe = state.probes[p];
      if (probe) {
        res.writeHead(probe.status, { 'content-type': 'text/plain' });
        return res.end(probe.body);
      }
      return json(res, 404, notFound(p));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    const caData = readFileSync(join(root, 'server', 'ca.crt')).toString('base64');
    const kc = (user: string) => `apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority-data: ${caData}\ncontexts:\n- name: test\n  context: {cluster: test, user: u}\ncurrent-context: test\nusers:\n- name: u\n  user:\n${user}\n`;
    kubeconfig = join(root, 'token.conf');
    writeFileSync(kubeconfig, kc(`    token: ${TOKEN}`));
    certKubeconfig = join(root, 'admin.conf');
    writeFileSync(certKubeconfig, kc(`    client-certificate: ${admin.cert}\n    client-key: ${admin.key}`));
    badKubeconfig = join(root, 'bad.conf');
    writeFileSync(badKubeconfig, kc('    token: wrong'));
  });
  after(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(root, { recursive: true, force: true });
  });

  async function doctor(extra: string[] = [], config = kubeconfig): Promise<{ code: number; findings: Finding[]; err: string }> {
    const io = captureIO({ cwd: root });
    const code = await main(['doctor', '--kubeconfig', config, '-o', 'json', ...extra], io);
    const out = io.out();
    return { code, findings: out ? (JSON.parse(out) as { findings: Finding[] }).findings : [], err: io.err() };
  }
  const withFlags = () => ['--manifest', fixture('seed-kube-apiserver.yaml'), '--cert-dir', pki];

  test('healthy cluster: only the routing note (flags from the live pod, token auth), the same with the seed flags', async () => {
    state = baseline();
    const r = await doctor();
    assert.deepEqual(r.findings.map((x) => x.id), ['D06'], JSON.stringify(r.findings, null, 1));
    assert.equal(r.code, 0);
    const text = captureIO({ cwd: root });
    await main(['doctor', '--kubeconfig', kubeconfig], text);
    assert.match(text.out(), /\(flags from pod kube-system\/kube-apiserver-node1\)/);
    assert.match(text.out(), /Not checked: .*requestheader certificates \(needs the flags of this host/);
    const f = await doctor(withFlags());
    assert.deepEqual(f.findings.map((x) => x.id), ['D06']);
    assert.ok(requests.includes('/readyz?verbose'));
  });

  test('client certificate kubeconfig works; a rejected one reports what could not be read', async () => {
    state = baseline();
    assert.deepEqual((await doctor([], certKubeconfig)).findings.map((x) => x.id), ['D06']);
    const bad = await doctor([], badKubeconfig);
    assert.equal(bad.code, 1);
    assert.ok(bad.findings.some((f) => f.id === 'D14' && /cannot list APIServices: .*HTTP 401 \(Unauthorized\)/.test(f.summary)), JSON.stringify(bad.findings));
  });

  test('an unreachable API server is one clear error, exit 2', async () => {
    const dead = join(root, 'dead.conf');
    writeFileSync(dead, readFileSync(kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
    const r = await doctor([], dead);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot reach the API server https:\/\/127\.0\.0\.1:1 .*ECONNREFUSED/);
  });

  const metrics = (s: FakeCluster) => s.apiservices[1];
  /** Sets `--name=value` in the live kube-apiserver pod's command (replacing it if present). */
  const setPodFlag = (s: FakeCluster, name: string, value: string) => {
    const command = s.pods['kube-system'][1].spec!.containers[0].command!;
    const i = command.findIndex((a) => a.startsWith(`${name}=`));
    if (i >= 0) command[i] = `${name}=${value}`;
    else command.push(`${name}=${value}`);
  };
  const condition = (status: 'False' | 'Unknown', reason: string, message: string) => (s: FakeCluster) => {
    metrics(s).status = { conditions: [{ type: 'Available', status, reason, message }] };
  };
  const url = 'https://10.96.5.5:443/apis/metrics.k8s.io/v1beta1';

  const CASES: Array<{ id: DiagnosticId; name: string; mutate(s: FakeCluster): void; flags?: boolean; match?: RegExp; severity?: Finding['severity'] }> = [
    { id: 'D01', name: 'ServiceNotFound condition', mutate: (s) => { condition('False', 'ServiceNotFound', 'service/metrics-server in "kube-system" is not present')(s); delete s.services['kube-system/metrics-server']; }, match: /False \(ServiceNotFound\)/ },
    { id: 'D01', name: 'Service missing before the controller noticed', mutate: (s) => { delete s.services['kube-system/metrics-server']; }, match: /does not exist/ },
    { id: 'D02', name: 'ServicePortError condition', mutate: condition('False', 'ServicePortError', 'service/metrics-server in "kube-system" is not listening on port 443') },
    { id: 'D02', name: 'Service without the APIService port', mutate: (s) => { s.services['kube-system/metrics-server'].spec!.ports = [{ port: 4443 }]; }, match: /not listening on port 443 \(ports: 4443\)/ },
    { id: 'D03', name: 'EndpointsNotFound', mutate: condition('False', 'EndpointsNotFound', 'cannot find endpointslices for service/metrics-server in "kube-system"') },
    { id: 'D04', name: 'MissingEndpoints', mutate: condition('False', 'MissingEndpoints', 'endpointslices for service/metrics-server in "kube-system" have no addresses with port name "https"') },
    { id: 'D05', name: 'discovery timeout', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: Get ${url}: net/http: request canceled (Client.Timeout exceeded while awaiting headers)`), flags: true, match: /cluster routing/ },
    { id: 'D06', name: 'no route to host', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: Get ${url}: dial tcp 10.96.5.5:443: connect: no route to host`), severity: 'error' },
    { id: 'D07', name: 'connection refused', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: Get ${url}: dial tcp 10.96.5.5:443: connect: connection refused`) },
    { id: 'D08', name: 'bad status 401', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 401`) },
    { id: 'D08', name: 'ConfigMap CA does not sign the proxy cert', flags: true, mutate: (s) => { s.configMap!.data!['requestheader-client-ca-file'] = pem('aggregator-ca.pem'); }, match: /is not signed by any CA in configmap/ },
    { id: 'D09', name: 'bad status 403', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 403`) },
    { id: 'D09', name: "ConfigMap username headers '[]'", mutate: (s) => { s.configMap!.data!['requestheader-username-headers'] = '[]'; } },
    { id: 'D10', name: 'bad status 404', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 404`) },
    { id: 'D11', name: 'bad status 503', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 503`) },
    { id: 'D12', name: 'x509 unknown authority', mutate: condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: Get ${url}: tls: failed to verify certificate: x509: certificate signed by unknown authority`) },
    { id: 'D13', name: 'caBundle not PEM', mutate: (s) => { metrics(s).spec.insecureSkipTLSVerify = false; metrics(s).spec.caBundle = Buffer.from('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n').toString('base64'); } },
    { id: 'D14', name: 'ServiceAccessError', mutate: condition('Unknown', 'ServiceAccessError', 'service/metrics-server in "kube-system" cannot be checked due to: timeout') },
    { id: 'D14', name: 'no Available condition yet', mutate: (s) => { metrics(s).status = {}; }, match: /Unknown \(no Available condition yet\)/ },
    { id: 'D15', name: 'stale discovery', mutate: (s) => { s.discovery.items[0].versions[0].freshness = 'Stale'; }, match: /metrics\.k8s\.io\/v1beta1 as Stale/ },
    { id: 'D16', name: 'namespace stuck Terminating', mutate: (s) => { condition('False', 'FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 503`)(s); s.namespaces.push({ metadata: { name: 'old' }, status: { phase: 'Terminating', conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', reason: 'DiscoveryFailed', message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request' }] } }); } },
    { id: 'D18', name: 'RoleBinding in the wrong namespace', mutate: (s) => { s.roleBindings[0].metadata!.namespace = 'metrics'; }, match: /no RoleBinding in kube-system/ },
    { id: 'D19', name: 'ConfigMap missing', mutate: (s) => { s.configMap = null; }, match: /does not exist/ },
    { id: 'D19', name: 'ConfigMap without the requestheader CA', mutate: (s) => { delete s.configMap!.data!['requestheader-client-ca-file']; } },
    { id: 'D20', name: 'no auth-delegator binding', mutate: (s) => { s.clusterRoleBindings = []; } },
    { id: 'D22', name: 'ConfigMap CAs share a certificate', mutate: (s) => { s.configMap!.data!['client-ca-file'] = pem('ca.crt') + pem('front-proxy-ca.crt'); }, severity: 'warning' },
    { id: 'D23', name: 'ConfigMap allowed names empty', mutate: (s) => { s.configMap!.data!['requestheader-allowed-names'] = '[]'; setPodFlag(s, '--requestheader-allowed-names', ''); }, severity: 'warning' },
    { id: 'X03', name: 'ConfigMap allowed names lack the live pod\'s', mutate: (s) => { s.configMap!.data!['requestheader-allowed-names'] = '[]'; }, match: /lacks front-proxy-client from --requestheader-allowed-names/ },
    { id: 'D24', name: 'ConfigMap allowed names lack the proxy CN', flags: true, mutate: (s) => { s.configMap!.data!['requestheader-allowed-names'] = '["aggregator"]'; } },
    { id: 'D26', name: 'ConfigMap custom group header', mutate: (s) => { s.configMap!.data!['requestheader-group-headers'] = '["X-Custom-Group"]'; }, severity: 'warning' },
    { id: 'D27', name: 'headless Service message', mutate: condition('False', 'FailedDiscoveryCheck', 'cannot route to service with ClusterIP "None"') },
    { id: 'D27', name: 'headless Service with cluster routing flags', flags: true, mutate: (s) => { s.services['kube-system/metrics-server'].spec!.clusterIP = 'None'; } },
    { id: 'D27', name: 'headless Service, cluster routing read from the live pod', mutate: (s) => { s.services['kube-system/metrics-server'].spec!.clusterIP = 'None'; } },
    { id: 'D28', name: 'ExternalName Service, endpoint routing read from the live pod', mutate: (s) => { s.services['kube-system/metrics-server'].spec = { type: 'ExternalName', externalName: 'metrics.example.com' }; setPodFlag(s, '--enable-aggregator-routing', 'true'); } },
    { id: 'X04', name: 'live pod names a file outside its mounts', mutate: (s) => { setPodFlag(s, '--proxy-client-cert-file', '/etc/kubernetes/aggregator/aggregator.pem'); }, match: /--proxy-client-cert-file=\/etc\/kubernetes\/aggregator\/aggregator\.pem is not inside any volume/ },
    { id: 'D26', name: 'live pod publishes a custom group header', mutate: (s) => { setPodFlag(s, '--requestheader-group-headers', 'X-Custom-Group'); s.configMap!.data!['requestheader-group-headers'] = '["X-Remote-Group","X-Custom-Group"]'; }, match: /--requestheader-group-headers is set without specifying the standard X-Remote-Group/, severity: 'warning' },
    { id: 'D28', name: 'ExternalName message', mutate: condition('False', 'FailedDiscoveryCheck', 'unsupported service type "ExternalName"') },
    { id: 'D29', name: 'backend redirects', mutate: (s) => { s.probes['/apis/metrics.k8s.io/v1beta1'] = { status: 502, body: 'the backend attempted to redirect this request, which is not permitted\n' }; } },
    { id: 'D33', name: 'remote APIService for a built-in group', mutate: (s) => { s.apiservices.push({ ...metrics(s), metadata: { name: 'v1.apps' }, spec: { ...metrics(s).spec, group: 'apps', version: 'v1' } }); }, severity: 'warning' },
    { id: 'D33', name: 'remote APIService for a CRD group', mutate: (s) => { s.apiservices.push({ ...metrics(s), metadata: { name: 'v1.stable.example.com' }, spec: { ...metrics(s).spec, group: 'stable.example.com', version: 'v1' } }); }, severity: 'warning' },
    { id: 'D34', name: 'autoregister-completion failing', mutate: (s) => { s.readyz = '[+]ping ok\n[-]autoregister-completion failed: reason withheld\nreadyz check failed\n'; }, severity: 'warning' },
    { id: 'X03', name: 'ConfigMap lacks the CA of the flags', flags: true, mutate: (s) => { s.configMap!.data!['requestheader-client-ca-file'] = pem('aggregator-ca.pem'); }, match: /lacks CN=front-proxy-ca/ },
    { id: 'X03', name: 'ConfigMap still holds an old CA', flags: true, mutate: (s) => { s.configMap!.data!['requestheader-client-ca-file'] = pem('front-proxy-ca.crt') + pem('aggregator-ca.pem'); }, severity: 'info' },
    { id: 'X03', name: 'ConfigMap list not JSON', mutate: (s) => { s.configMap!.data!['requestheader-group-headers'] = 'X-Remote-Group'; } },
  ];
  for (const c of CASES) {
    test(`${c.id} ${c.name}`, async () => {
      state = baseline();
      const clean = await doctor(c.flags ? withFlags() : []);
      assert.equal(clean.findings.filter((f) => f.id === c.id && f.severity !== 'info').length, 0, `baseline already reports ${c.id}`);
      c.mutate(state);
      const r = await doctor(c.flags ? withFlags() : []);
      const severity = c.severity ?? 'error';
      const hit = r.findings.filter((f) => f.id === c.id && f.severity === severity && (!c.match || c.match.test(`${f.summary} ${f.why}`)));
      assert.ok(hit.length > 0, `no ${severity} ${c.id}${c.match ? ` matching ${c.match}` : ''} in:\n${r.findings.map((f) => `${f.severity} ${f.id} ${f.summary}`).join('\n')}`);
      assert.equal(r.code, severity === 'error' ? 2 : severity === 'warning' ? 1 : r.code);
      for (const f of hit) assert.ok(f.why.length > 20 && f.fix.length > 10);
    });
  }
});
