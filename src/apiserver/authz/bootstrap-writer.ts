// Writes the bootstrap policy to the store at start: each object is created when missing
// and left alone when present, so restarts (and a second kagg on the same etcd) are no-ops.
import { randomUUID } from 'node:crypto';
import { isStorageError } from '../../storage/errors.ts';
import type { Store, StoredObject } from '../../storage/interface.ts';
import { objectKey } from '../registry/keys.ts';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_ROLE_BINDINGS, BOOTSTRAP_ROLES } from './bootstrap-policy.ts';
import { RBAC_GROUP } from './rbac-types.ts';

const RESOURCE_OF: Record<string, string> = {
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
};

export interface BootstrapOptions {
  now?: () => Date;
  newUid?: () => string;
}

/** Returns the names of the objects it created. */
export async function writeBootstrapPolicy(store: Store, etcdPrefix: string, options: BootstrapOptions = {}): Promise<string[]> {
  const now = options.now ?? (() => new Date());
  const newUid = options.newUid ?? randomUUID;
  const created: string[] = [];
  const all: StoredObject[] = [...BOOTSTRAP_CLUSTER_ROLES, ...BOOTSTRAP_CLUSTER_ROLE_BINDINGS, ...BOOTSTRAP_ROLES, ...BOOTSTRAP_ROLE_BINDINGS];
  for (const template of all) {
    const obj = structuredClone(template);
    const resource = RESOURCE_OF[String(obj.kind)];
    const ns = obj.metadata.namespace ?? '';
    const key = objectKey(etcdPrefix, { group: RBAC_GROUP, resource }, ns, String(obj.metadata.name));
    obj.metadata.uid = newUid();
    obj.metadata.creationTimestamp = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    try {
      await store.create(key, obj);
      created.push(`${resource}/${ns ? `${ns}/` : ''}${obj.metadata.name}`);
    } catch (err) {
      if (!isStorageError(err, 'AlreadyExists')) throw err;
    }
  }
  return created;
}
