// The security matrix of issue 5 against the real TLS server: every authentication and
// authorization failure mode, asserted by status code and upstream message.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { parseSigningKey } from '../../src/apiserver/authn/jwt.ts';
import { issueServiceAccountToken } from '../../src/apiserver/authn/service-account.ts';
import { objectKey } from '../../src/apiserver/registry/keys.ts';
import { apiRequest, startTestApiServer, TEST_TOKENS, type TestApiServer } from '../support/apiserver.ts';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

async function saToken(server: TestApiServer, o: { keyFile?: string; uid: string; name?: string; seconds?: number; now?: Date; audiences?: string[] }): Promise<string> {
  const key = parseSigningKey(await readFile(o.keyFile ?? server.pki.saKeyFile, 'utf8'));
  const { token } = await issueServiceAccountToken({ issuer: ISSUER, ...key }, {
    namespace: 'default',
    serviceAccount: { name: o.name ?? 'robot', uid: o.uid },
    audiences: o.audiences ?? [ISSUER],
    expirationSeconds: o.seconds ?? 3600,
    now: o.now,
  });
  return token;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (let i = 0; i < 100 && Date.now() < deadline; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const CM_PATH = '/api/v1/namespaces/default/configmaps';
const janeForbidden = 'configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "default"';

describe('apiserver security matrix (anonymous enabled, RBAC)', () => {
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer({ anonymousAuth: true });
    // A ServiceAccount for token tests, written straight to the store.
    await server.plane!.store.create(objectKey('/registry', { group: '', resource: 'serviceaccounts' }, 'default', 'robot'), {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default', uid: 'uid-robot' },
    });
  });
  after(async () => server?.close());

  test('no credentials on an API path: 403 for system:anonymous with the upstream message', async () => {
    const res = await apiRequest(server, '/api/v1/namespaces');
    assert.equal(res.status, 403);
    const body = res.json();
    assert.equal(body.kind, 'Status');
    assert.equal(body.reason, 'Forbidden');
    assert.equal(body.message, 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope');
    assert.deepEqual(body.details, { kind: 'namespaces' });
  });

  test('no credentials on public-info paths: allowed', async () => {
    for (const path of ['/version', '/version/', '/healthz', '/livez', '/readyz']) {
      const res = await apiRequest(server, path);
      assert.equal(res.status, 200, `${path}: ${res.text}`);
    }
    const v = (await apiRequest(server, '/version')).json();
    assert.equal(v.major, '1');
    assert.equal(v.minor, '32');
    assert.match(String(v.gitVersion), /^v1\.32\.\d+-kagg/);
  });

  test('no credentials on a non-public path: 403 forbidden path message', async () => {
    const res = await apiRequest(server, '/metrics');
    assert.equal(res.status, 403);
    assert.equal(res.json().message, 'forbidden: User "system:anonymous" cannot get path "/metrics"');
  });

  test('readyz?verbose lists each check, the storage ping included', async () => {
    const res = await apiRequest(server, '/readyz?verbose');
    assert.equal(res.status, 200);
    assert.match(res.text, /^\[\+\]ping ok$/m);
    assert.match(res.text, /^\[\+\]etcd ok$/m);
    assert.match(res.text, /readyz check passed/);
  });

  for (const [name, pick] of [
    ['client certificate from another CA', (s: TestApiServer) => s.pki.foreign],
    ['expired client certificate', (s: TestApiServer) => s.pki.expired],
    ['client certificate without clientAuth usage', (s: TestApiServer) => s.pki.serverOnly],
  ] as const) {
    test(`${name}: 401 Unauthorized`, async () => {
      const res = await apiRequest(server, CM_PATH, { cert: pick(server) });
      assert.equal(res.status, 401);
      assert.deepEqual({ reason: res.json().reason, message: res.json().message, code: res.json().code }, { reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
    });
  }

  test('unknown bearer token: 401, never anonymous', async () => {
    const res = await apiRequest(server, '/version', { token: 'not-a-known-token' });
    assert.equal(res.status, 401);
  });

  test('forged service-account token (untrusted key): 401', async () => {
    const token = await saToken(server, { keyFile: server.pki.foreignSaKeyFile, uid: 'uid-robot' });
    assert.equal((await apiRequest(server, CM_PATH, { token })).status, 401);
  });

  test('expired service-account token: 401', async () => {
    const token = await saToken(server, { uid: 'uid-robot', seconds: 600, now: new Date(Date.now() - 2 * 3600_000) });
    assert.equal((await apiRequest(server, CM_PATH, { token })).status, 401);
  });

  test('service-account token for a deleted or replaced ServiceAccount: 401', async () => {
    assert.equal((await apiRequest(server, CM_PATH, { token: await saToken(server, { uid: 'uid-robot', name: 'ghost' }) })).status, 401);
    assert.equal((await apiRequest(server, CM_PATH, { token: await saToken(server, { uid: 'uid-other' }) })).status, 401);
  });

  test('service-account token with a wrong audience: 401', async () => {
    assert.equal((await apiRequest(server, CM_PATH, { token: await saToken(server, { uid: 'uid-robot', audiences: ['someone-else'] }) })).status, 401);
  });

  test('valid service-account token: authenticated as the ServiceAccount (403 without RBAC)', async () => {
    const res = await apiRequest(server, CM_PATH, { token: await saToken(server, { uid: 'uid-robot' }) });
    assert.equal(res.status, 403);
    assert.equal(res.json().message, 'configmaps is forbidden: User "system:serviceaccount:default:robot" cannot list resource "configmaps" in API group "" in the namespace "default"');
  });

  test('valid user without RBAC permission: 403 with the upstream message (cert and token)', async () => {
    for (const cred of [{ cert: server.pki.jane }, { token: TEST_TOKENS.jane }]) {
      const res = await apiRequest(server, CM_PATH, cred);
      assert.equal(res.status, 403);
      assert.equal(res.json().message, janeForbidden);
      assert.deepEqual(res.json().details, { kind: 'configmaps' });
    }
    const named = await apiRequest(server, `${CM_PATH}/x`, { cert: server.pki.jane });
    assert.equal(named.json().message, 'configmaps "x" is forbidden: User "jane" cannot get resource "configmaps" in API group "" in the namespace "default"');
  });

  test('system:masters passes authorization (cert, token, front proxy)', async () => {
    for (const cred of [{ cert: server.pki.admin }, { token: TEST_TOKENS.admin }, { cert: server.pki.frontProxy, headers: { 'x-remote-user': 'alice', 'x-remote-group': ['system:masters'] } }]) {
      const res = await apiRequest(server, '/metrics', cred);
      assert.equal(res.status, 200, res.text);
      assert.match(res.text, /apiserver_request_total/);
    }
  });

  test('front proxy: a CN outside the allowed names is 401; no user header is 401', async () => {
    assert.equal((await apiRequest(server, '/version', { cert: server.pki.frontProxyIntruder, headers: { 'x-remote-user': 'alice' } })).status, 401);
    assert.equal((await apiRequest(server, '/version', { cert: server.pki.frontProxy })).status, 401);
  });

  test('forged X-Remote-User from a client-CA cert is ignored', async () => {
    const res = await apiRequest(server, CM_PATH, { cert: server.pki.jane, headers: { 'x-remote-user': 'admin', 'x-remote-group': 'system:masters' } });
    assert.equal(res.status, 403);
    assert.equal(res.json().message, janeForbidden);
  });

  test('impersonation without the impersonate verb: 403', async () => {
    const res = await apiRequest(server, CM_PATH, { cert: server.pki.jane, headers: { 'impersonate-user': 'kubernetes-admin' } });
    assert.equal(res.status, 403);
    assert.equal(res.json().message, 'users "kubernetes-admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope');
    const group = await apiRequest(server, CM_PATH, { cert: server.pki.jane, headers: { 'impersonate-user': 'jane', 'impersonate-group': 'system:masters' } });
    assert.equal(group.status, 403);
  });

  test('impersonation with the verb: the request runs as the impersonated user', async () => {
    const res = await apiRequest(server, CM_PATH, { cert: server.pki.admin, headers: { 'impersonate-user': 'jane' } });
    assert.equal(res.status, 403);
    assert.equal(res.json().message, janeForbidden);
  });

  test('a RoleBinding written to storage takes effect through the informer', async () => {
    await server.plane!.store.create(objectKey('/registry', { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }, 'default', 'jane-view'), {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
      metadata: { name: 'jane-view', namespace: 'default', uid: 'uid-rb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }],
    });
    await eventually(async () => (await apiRequest(server, CM_PATH, { cert: server.pki.jane })).status !== 403, 'jane to be allowed to list configmaps');
    // view does not grant secrets or writes
    assert.equal((await apiRequest(server, '/api/v1/namespaces/default/secrets', { cert: server.pki.jane })).status, 403);
    assert.equal((await apiRequest(server, CM_PATH, { cert: server.pki.jane, body: {} })).status, 403);
    // and only in its namespace
    assert.equal((await apiRequest(server, '/api/v1/namespaces/other/configmaps', { cert: server.pki.jane })).status, 403);
  });

  test('kube-system/extension-apiserver-authentication is published from the flags', async () => {
    const res = await apiRequest(server, '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication', { cert: server.pki.admin });
    assert.equal(res.status, 200, res.text);
    const data = res.json().data as Record<string, string>;
    assert.equal(data['client-ca-file'].trim(), server.pki.ca.cert.trim());
    assert.equal(data['requestheader-client-ca-file'].trim(), server.pki.frontProxyCA.cert.trim());
    assert.equal(data['requestheader-allowed-names'], '["front-proxy-client"]');
    assert.equal(data['requestheader-username-headers'], '["X-Remote-User"]');
    assert.equal(data['requestheader-group-headers'], '["X-Remote-Group"]');
    assert.equal(data['requestheader-extra-headers-prefix'], '["X-Remote-Extra-"]');
    // readable by the bootstrap reader role's subjects only: jane cannot
    assert.equal((await apiRequest(server, '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication', { cert: server.pki.jane })).status, 403);
  });

  test('a body over 3 MiB: 413', async () => {
    const res = await apiRequest(server, CM_PATH, { cert: server.pki.admin, body: Buffer.alloc(3 * 1024 * 1024 + 1, 0x20) });
    assert.equal(res.status, 413);
    assert.equal(res.json().reason, 'RequestEntityTooLarge');
  });
});

describe('apiserver security matrix (anonymous disabled)', () => {
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer({ anonymousAuth: false });
  });
  after(async () => server?.close());

  test('no credentials: 401 everywhere, public-info paths included', async () => {
    for (const path of [CM_PATH, '/version', '/healthz']) {
      const res = await apiRequest(server, path);
      assert.equal(res.status, 401, path);
      assert.equal(res.json().reason, 'Unauthorized');
    }
  });

  test('authenticated users read public-info paths', async () => {
    assert.equal((await apiRequest(server, '/version', { cert: server.pki.jane })).status, 200);
  });
});
