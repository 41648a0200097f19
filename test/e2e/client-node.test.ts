// The official JavaScript client (@kubernetes/client-node 1.4, the last line that runs on
// Node 20) against kagg serve, unmodified: typed calls, the generic object API and a watch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, VersionApi, Watch } from '@kubernetes/client-node';
import { startTestApiServer } from '../support/apiserver.ts';

test('@kubernetes/client-node: version, namespaces, configmap CRUD, RBAC, watch', async (t) => {
  const server = await startTestApiServer();
  t.after(() => server.close());
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig);

  const version = await kc.makeApiClient(VersionApi).getCode();
  assert.equal(version.major, '1');
  assert.equal(version.minor, '32');

  const core = kc.makeApiClient(CoreV1Api);
  const namespaces = await core.listNamespace();
  assert.deepEqual(namespaces.items.map((n) => n.metadata?.name).sort(), ['default', 'kube-public', 'kube-system']);

  // A watch started before the writes sees them in order.
  const events: string[] = [];
  const sawDelete = new Promise<void>((resolve, reject) => {
    void new Watch(kc).watch('/api/v1/namespaces/default/configmaps', {}, (type, obj: { metadata?: { name?: string } }) => {
      events.push(`${type} ${obj.metadata?.name}`);
      if (type === 'DELETED') resolve();
    }, (err) => (err ? reject(err) : undefined)).then((req) => t.after(() => req.abort()));
  });
  await new Promise((r) => setTimeout(r, 200));

  const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client-node' }, data: { a: '1' } } });
  assert.equal(created.metadata?.name, 'from-client-node');
  assert.ok(created.metadata?.uid);
  const read = await core.readNamespacedConfigMap({ name: 'from-client-node', namespace: 'default' });
  assert.deepEqual(read.data, { a: '1' });
  const replaced = await core.replaceNamespacedConfigMap({ name: 'from-client-node', namespace: 'default', body: { ...read, data: { a: '2' } } });
  assert.deepEqual(replaced.data, { a: '2' });
  await assert.rejects(
    core.replaceNamespacedConfigMap({ name: 'from-client-node', namespace: 'default', body: { ...read, data: { a: '3' } } }),
    (err: { code?: number }) => err.code === 409,
    'a stale resourceVersion is a 409 Conflict',
  );
  await core.deleteNamespacedConfigMap({ name: 'from-client-node', namespace: 'default' });
  await assert.rejects(core.readNamespacedConfigMap({ name: 'from-client-node', namespace: 'default' }), (err: { code?: number }) => err.code === 404);

  await Promise.race([sawDelete, new Promise((_, reject) => setTimeout(() => reject(new Error(`watch saw only ${events.join(', ')}`)), 10_000))]);
  assert.deepEqual(events, ['ADDED from-client-node', 'MODIFIED from-client-node', 'DELETED from-client-node']);

  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const roles = await rbac.listClusterRole();
  assert.ok(roles.items.some((r) => r.metadata?.name === 'cluster-admin'));
});
