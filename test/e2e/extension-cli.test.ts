// `kagg sample-apiserver` as a child process (stopped by its PID) against a test core
// server: the printed caBundle, readiness, a proxied create, --banned-flunder, startup with
// a missing ConfigMap, the fatal Forbidden lookup (and its tolerate flag), flag validation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createAPIHandler } from '../../src/apiserver/registry/mod.ts';
import { runSampleApiserver } from '../../src/cli/sample-apiserver.ts';
import { CliError } from '../../src/cli/io.ts';
import { apiRequest, startTestApiServer, TEST_TOKENS, type TestApiServer } from '../support/apiserver.ts';
import { captureIO } from '../support/cli-io.ts';
import { eventually, publishAuthConfigMap, startTestWardle, wardleRequest } from '../support/extension.ts';

const FLUNDERS = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';

describe('kagg sample-apiserver', () => {
  let core: TestApiServer;

  before(async () => {
    core = await startTestApiServer({ createApi: createAPIHandler });
  });
  after(async () => {
    await core?.close();
  });

  it('starts without the ConfigMap, then trusts the front proxy once it is published', async (t) => {
    const wardle = await startTestWardle({ core, child: true, args: ['--banned-flunder=evil', '--storage=sqlite:wardle.db'] });
    t.after(() => wardle.close());
    assert.ok(wardle.pid);
    const ca = new X509Certificate(wardle.caBundle);
    assert.ok(ca.ca, 'the printed caBundle is a CA certificate');
    assert.equal((await wardleRequest(core, wardle, '/readyz')).status, 200);
    const proxied = { cert: core.pki.frontProxy, headers: { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': 'system:masters' } };
    const before = await wardleRequest(core, wardle, FLUNDERS, proxied);
    assert.equal(before.status, 403, 'without requestheader trust the proxy is anonymous');
    assert.match(String(before.json().message), /system:anonymous/);
    await publishAuthConfigMap(core);
    await eventually(async () => (await wardleRequest(core, wardle, FLUNDERS, proxied)).status === 200);
    const created = await wardleRequest(core, wardle, FLUNDERS, { ...proxied, body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'from-cli' } } });
    assert.equal(created.status, 201, created.text);
    const banned = await wardleRequest(core, wardle, FLUNDERS, { ...proxied, body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'evil' } } });
    assert.equal(banned.status, 403);
  });

  it('refuses to start when the ConfigMap is forbidden, unless told to tolerate it', async () => {
    await publishAuthConfigMap(core);
    const kubeconfig = await core.writeKubeconfig('bob', { token: TEST_TOKENS.bob });
    const io = captureIO();
    await assert.rejects(
      runSampleApiserver(['--secure-port=0', '--bind-address=127.0.0.1', `--cert-dir=${core.dir}/wardle-certs`, `--kubeconfig=${kubeconfig}`], io),
      (err: unknown) => err instanceof CliError && /unable to load configmap based request-header-client-ca-file: configmaps "extension-apiserver-authentication" is forbidden/.test(err.message),
    );
    assert.match(io.err(), /Usually fixed by 'kubectl create rolebinding -n kube-system ROLEBINDING_NAME --role=extension-apiserver-authentication-reader/);

    const abort = new AbortController();
    const tolerant = captureIO();
    let url = '';
    const run = runSampleApiserver(['--secure-port=0', '--bind-address=127.0.0.1', `--cert-dir=${core.dir}/wardle-certs`, `--kubeconfig=${kubeconfig}`, '--authentication-tolerate-lookup-failure'], tolerant, {
      signal: abort.signal,
      onListening: (s) => {
        url = s.url;
        abort.abort();
      },
    });
    assert.equal(await run, 0);
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(tolerant.out(), /^caBundle: [A-Za-z0-9+/=]+$/m);
  });

  it('replaces the always-allowed paths instead of adding to them', async (t) => {
    // Without system:public-info-viewer the SubjectAccessReview no longer allows /healthz to anonymous.
    const path = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:public-info-viewer';
    const saved = await apiRequest(core, path, { cert: core.pki.admin });
    assert.equal(saved.status, 200, saved.text);
    assert.equal((await apiRequest(core, path, { cert: core.pki.admin, method: 'DELETE' })).status, 200);
    t.after(async () => {
      const { metadata, ...rest } = saved.json() as { metadata: Record<string, unknown> };
      await apiRequest(core, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { cert: core.pki.admin, body: { ...rest, metadata: { name: metadata.name, labels: metadata.labels, annotations: metadata.annotations } } });
    });
    const abort = new AbortController();
    let status = 0;
    let openapi = 0;
    const code = await runSampleApiserver(['--secure-port=0', '--bind-address=127.0.0.1', `--cert-dir=${core.dir}/wardle-paths`, `--kubeconfig=${core.kubeconfig}`, '--authorization-always-allow-paths=/openapi/*'], captureIO(), {
      signal: abort.signal,
      onListening: async (s) => {
        try {
          status = (await wardleRequest(core, { url: s.url, caBundle: s.caBundle }, '/healthz')).status;
          openapi = (await wardleRequest(core, { url: s.url, caBundle: s.caBundle }, '/openapi/v3/apis/wardle.example.com/v1alpha1')).status;
        } finally {
          abort.abort();
        }
      },
    });
    assert.equal(code, 0);
    assert.equal(status, 403, '/healthz is no longer always allowed for anonymous');
    assert.equal(openapi, 200);
  });

  it('takes every requestheader setting from flags when --requestheader-client-ca-file is set', async () => {
    await publishAuthConfigMap(core);
    const abort = new AbortController();
    const seen: Record<string, number> = {};
    const code = await runSampleApiserver([
      '--secure-port=0', '--bind-address=127.0.0.1', `--cert-dir=${core.dir}/wardle-flags`, `--kubeconfig=${core.kubeconfig}`,
      `--requestheader-client-ca-file=${core.pki.frontProxyCA.certFile}`, '--requestheader-allowed-names=intruder',
    ], captureIO(), {
      signal: abort.signal,
      onListening: async (s) => {
        try {
          for (const [name, cert] of [['intruder', core.pki.frontProxyIntruder], ['front-proxy-client', core.pki.frontProxy]] as const) {
            seen[name] = (await wardleRequest(core, { url: s.url, caBundle: s.caBundle }, FLUNDERS, { cert, headers: { 'x-remote-user': 'kubernetes-admin', 'x-remote-group': 'system:masters' } })).status;
          }
        } finally {
          abort.abort();
        }
      },
    });
    assert.equal(code, 0);
    assert.deepEqual(seen, { intruder: 200, 'front-proxy-client': 401 });
  });

  const invalid = [
    { name: 'an empty header name', args: ['--requestheader-client-ca-file=ca.crt', '--requestheader-username-headers=X-Remote-User,'], message: /empty value in "--requestheader-username-headers"/ },
    { name: 'a bad duration', args: ['--authentication-token-webhook-cache-ttl=soon'], message: /invalid --authentication-token-webhook-cache-ttl "soon"/ },
    { name: 'a bad storage', args: ['--storage=mongo'], message: /invalid --storage value "mongo"/ },
    { name: 'no kubeconfig outside a cluster', args: [], message: /failed to get delegated authentication kubeconfig: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/ },
  ];
  for (const c of invalid) {
    it(`fails with one clear line on ${c.name}`, async () => {
      await assert.rejects(runSampleApiserver(['--secure-port=0', `--cert-dir=${core.dir}/c`, '--authentication-skip-lookup', ...c.args], captureIO({ cwd: core.pki.dir })), (err: unknown) => err instanceof CliError && c.message.test(err.message));
    });
  }
});
