// Two `kagg serve` processes on one real etcd (TLS, with kube-apiserver's --etcd-* flags):
// a configmap created through one is listed and seen by `kubectl get -w` through the
// other, and a stale update through either is 409 Conflict.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiRequest, startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { startEtcd } from '../support/etcd.ts';
import { toolOptions } from '../support/tools.ts';

const CM = '/api/v1/namespaces/default/configmaps';

test('two kagg servers share one etcd', toolOptions('etcd', 'kubectl'), async (t) => {
  const etcd = await startEtcd();
  t.after(() => etcd.cleanup());
  const tls = etcd.clientTls!;
  const etcdArgs = [`--etcd-servers=${etcd.endpoints.join(',')}`, `--etcd-cafile=${tls.caFile}`, `--etcd-certfile=${tls.certFile}`, `--etcd-keyfile=${tls.keyFile}`, '--etcd-prefix=/registry'];
  const servers: TestApiServer[] = [];
  t.after(async () => {
    for (const s of servers) await s.close();
  });
  // Both start at once: the bootstrap writes race and must both succeed.
  servers.push(...(await Promise.all([0, 1].map(() => startTestApiServer({ child: true, storage: 'etcd', args: etcdArgs })))));
  const [a, b] = servers;
  const cacheDir = await mkdtemp(join(tmpdir(), 'kagg-etcd-kubectl-'));
  t.after(() => rm(cacheDir, { recursive: true, force: true }));

  // kubectl get -w through B, started before the write through A
  const watch = spawn('kubectl', ['--kubeconfig', b.kubeconfig, '--cache-dir', cacheDir, 'get', 'configmaps', '-w', '--request-timeout=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (watch.exitCode === null && watch.pid) process.kill(watch.pid, 'SIGTERM');
  });
  let watched = '';
  watch.stdout.on('data', (c: Buffer) => (watched += c.toString()));
  watch.stderr.on('data', (c: Buffer) => (watched += c.toString()));
  // wait (bounded) until the watch has listed (kube-root-ca.crt or the empty-list notice)
  for (let i = 0; i < 100 && !/NAME|No resources/.test(watched); i++) await new Promise((r) => setTimeout(r, 100));

  const created = await apiRequest(a, CM, { cert: a.pki.admin, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { k: 'v1' } } });
  assert.equal(created.status, 201, created.text);
  const rv = String((created.json().metadata as Record<string, unknown>).resourceVersion);

  const listed = await apiRequest(b, CM, { cert: b.pki.admin });
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual((listed.json().items as { metadata: { name: string } }[]).map((i) => i.metadata.name).filter((n) => n === 'shared'), ['shared']);


  // a fresh update through B, then the stale one (old resourceVersion) through each server
  const fresh = await apiRequest(b, `${CM}/shared`, { cert: b.pki.admin, method: 'PUT', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'default', resourceVersion: rv }, data: { k: 'v2' } } });
  assert.equal(fresh.status, 200, fresh.text);
  for (const s of [a, b]) {
    const stale = await apiRequest(s, `${CM}/shared`, { cert: s.pki.admin, method: 'PUT', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'default', resourceVersion: rv }, data: { k: 'v3' } } });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json().reason, 'Conflict');
    assert.match(String(stale.json().message), /Operation cannot be fulfilled on configmaps "shared": the object has been modified/);
  }

  // RBAC objects written through A authorize requests at B (B's informers follow etcd)
  const rb = await apiRequest(a, '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { cert: a.pki.admin, body: {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'jane-view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }],
  } });
  assert.equal(rb.status, 201, rb.text);
  let status = 0;
  for (let i = 0; i < 100; i++) {
    status = (await apiRequest(b, CM, { cert: b.pki.jane })).status;
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 200);

  // the watch through B saw the configmap created through A (and its update)
  for (let i = 0; i < 100 && !/^shared\s/m.test(watched); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(watched, /^shared\s+1\s/m, `kubectl get -w through B saw:\n${watched}`);
});
