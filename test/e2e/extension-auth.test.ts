// The wardle server behind delegated authentication and authorization against a real kagg
// core server on 127.0.0.1 (aggregation.md §5, §6): front-proxy identities, spoofed headers,
// foreign proxy CNs, client certs, TokenReview, SubjectAccessReview, ConfigMap reload.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAPIHandler } from '../../src/apiserver/registry/mod.ts';
import { apiRequest, startTestApiServer, TEST_TOKENS, type TestApiServer } from '../support/apiserver.ts';
import { defaultAuthConfigMap, eventually, publishAuthConfigMap, startTestWardle, wardleRequest, type TestWardle } from '../support/extension.ts';

const FLUNDERS = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';

async function grantFlunders(core: TestApiServer, user: string): Promise<void> {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `flunder-${user}` }, rules: [{ apiGroups: ['wardle.example.com'], resources: ['flunders'], verbs: ['get', 'list', 'watch', 'create', 'delete'] }] };
  const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `flunder-${user}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `flunder-${user}` }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }] };
  for (const [path, body] of [['/apis/rbac.authorization.k8s.io/v1/clusterroles', role], ['/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding]] as const) {
    const r = await apiRequest(core, path, { cert: core.pki.admin, body });
    assert.equal(r.status, 201, r.text);
  }
}

describe('extension server: delegated authentication and authorization', () => {
  let core: TestApiServer;
  let wardle: TestWardle;

  before(async () => {
    core = await startTestApiServer({ createApi: createAPIHandler });
    await publishAuthConfigMap(core);
    wardle = await startTestWardle({ core });
    await grantFlunders(core, 'carol');
  });
  after(async () => {
    await wardle?.close();
    await core?.close();
  });

  const proxied = (user: string, groups: string[] = [], cert = core.pki.frontProxy) => ({ cert, headers: { 'X-Remote-User': user, ...(groups.length ? { 'X-Remote-Group': groups } : {}) } });

  it('takes a front-proxy identity and lets the SubjectAccessReview decide', async () => {
    const denied = await wardleRequest(core, wardle, FLUNDERS, proxied('alice', ['devs']));
    assert.equal(denied.status, 403, denied.text);
    assert.match(String(denied.json().message), /User "alice" cannot list resource "flunders" in API group "wardle.example.com" in the namespace "default"/);
    const allowed = await wardleRequest(core, wardle, FLUNDERS, proxied('carol'));
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(allowed.json().kind, 'FlunderList');
  });

  it('passes proxied groups to the SubjectAccessReview', async () => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'flunder-team', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flunder-carol' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'flunder-team' }] };
    assert.equal((await apiRequest(core, '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { cert: core.pki.admin, body: binding })).status, 201);
    const r = await wardleRequest(core, wardle, FLUNDERS, { cert: core.pki.frontProxy, headers: { 'X-Remote-User': 'dave', 'X-Remote-Group': ['other', 'flunder-team'], 'X-Remote-Extra-Scopes': 'a' } });
    assert.equal(r.status, 200, r.text);
    const elsewhere = await wardleRequest(core, wardle, '/apis/wardle.example.com/v1alpha1/namespaces/kube-system/flunders', { cert: core.pki.frontProxy, headers: { 'X-Remote-User': 'dave', 'X-Remote-Group': 'flunder-team' } });
    assert.equal(elsewhere.status, 403);
  });

  it('ignores a spoofed X-Remote-User without a front-proxy certificate', async () => {
    const r = await wardleRequest(core, wardle, FLUNDERS, { headers: { 'X-Remote-User': 'carol', 'X-Remote-Group': 'system:masters' } });
    assert.equal(r.status, 403, r.text);
    assert.match(String(r.json().message), /User "system:anonymous" cannot list/);
  });

  it('rejects a front-proxy certificate whose CN is not in the allowed names', async () => {
    const r = await wardleRequest(core, wardle, FLUNDERS, proxied('carol', [], core.pki.frontProxyIntruder));
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json().reason, 'Unauthorized');
    assert.match(wardle.logs(), /x509: subject with cn=intruder is not in the allowed list/);
  });

  it('rejects a front-proxy certificate without X-Remote-User (not a client-CA identity, §5.6)', async () => {
    const r = await wardleRequest(core, wardle, FLUNDERS, { cert: core.pki.frontProxy });
    assert.equal(r.status, 401, r.text);
    assert.match(wardle.logs(), /x509: certificate signed by unknown authority/);
  });

  it('impersonates only when the SubjectAccessReview allows it', async () => {
    const asAlice = await wardleRequest(core, wardle, FLUNDERS, { cert: core.pki.frontProxy, headers: { 'X-Remote-User': 'root', 'X-Remote-Group': 'system:masters', 'Impersonate-User': 'alice' } });
    assert.equal(asAlice.status, 403, asAlice.text);
    assert.match(String(asAlice.json().message), /User "alice" cannot list/);
    const byCarol = await wardleRequest(core, wardle, FLUNDERS, { ...proxied('carol'), headers: { 'X-Remote-User': 'carol', 'Impersonate-User': 'alice' } });
    assert.equal(byCarol.status, 403, byCarol.text);
    assert.match(String(byCarol.json().message), /User "carol" cannot impersonate resource "users"/);
  });

  it('authenticates a client certificate from client-ca-file and ignores forged headers with it', async () => {
    const r = await wardleRequest(core, wardle, FLUNDERS, { cert: core.pki.jane, headers: { 'X-Remote-User': 'carol' } });
    assert.equal(r.status, 403, r.text);
    assert.match(String(r.json().message), /User "jane" cannot list/);
    const expired = await wardleRequest(core, wardle, FLUNDERS, { cert: core.pki.expired });
    assert.equal(expired.status, 401);
  });

  it('authenticates bearer tokens by TokenReview', async () => {
    const admin = await wardleRequest(core, wardle, FLUNDERS, { token: TEST_TOKENS.admin });
    assert.equal(admin.status, 200, admin.text);
    const jane = await wardleRequest(core, wardle, FLUNDERS, { token: TEST_TOKENS.jane });
    assert.equal(jane.status, 403);
    assert.match(String(jane.json().message), /User "jane" cannot list/);
    const bad = await wardleRequest(core, wardle, FLUNDERS, { token: 'not-a-known-token' });
    assert.equal(bad.status, 401);
  });

  it('allows /healthz, /readyz and /livez without a SubjectAccessReview, and SARs other paths', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      const r = await wardleRequest(core, wardle, path);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
    }
    const version = await wardleRequest(core, wardle, '/apis/wardle.example.com/v1alpha1');
    assert.equal(version.status, 403);
    assert.match(String(version.json().message), /forbidden: User "system:anonymous" cannot get path "\/apis\/wardle.example.com\/v1alpha1"/);
    const discovery = await wardleRequest(core, wardle, '/apis/wardle.example.com/v1alpha1', proxied('alice', ['system:authenticated']));
    assert.equal(discovery.status, 200, discovery.text);
  });

  it('follows changes of the ConfigMap without a restart', async () => {
    await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), allowedNames: ['someone-else'] });
    await eventually(async () => (await wardleRequest(core, wardle, FLUNDERS, proxied('carol'))).status === 401);
    await publishAuthConfigMap(core);
    await eventually(async () => (await wardleRequest(core, wardle, FLUNDERS, proxied('carol'))).status === 200);
  });
});
