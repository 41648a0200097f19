// Objects every cluster has from the start: the namespaces default, kube-system and
// kube-public (idempotent) with their default ServiceAccounts, and aggregated ClusterRoles
// brought up to date.
import { isStorageError } from '../../storage/errors.ts';
import { ensureDefaultServiceAccount, reconcileClusterRoleAggregation } from '../resources/mod.ts';
import type { Registry } from './context.ts';
import { objectKey } from './keys.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public'] as const;

export async function bootstrapNamespaces(registry: Registry): Promise<void> {
  if (!registry.lookup('', 'v1', 'namespaces')) return;
  for (const name of SYSTEM_NAMESPACES) {
    const key = objectKey(registry.etcdPrefix, { group: '', resource: 'namespaces' }, '', name);
    const created = registry.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
    try {
      await registry.store.create(key, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, uid: registry.newUID(), creationTimestamp: created, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    } catch (err) {
      if (!isStorageError(err, 'AlreadyExists')) throw err;
    }
    await ensureDefaultServiceAccount(name, { store: registry.store, etcdPrefix: registry.etcdPrefix, now: registry.clock() });
  }
  await reconcileClusterRoleAggregation(registry.store, registry.etcdPrefix);
}
