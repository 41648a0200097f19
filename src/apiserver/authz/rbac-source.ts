// RBAC's PolicySource backed by four informers on the store (roles, rolebindings,
// clusterroles, clusterrolebindings under --etcd-prefix), started once at server start.
import { createInformer, type Informer, type InformerHandlers } from '../../controller/informer.ts';
import type { Store } from '../../storage/interface.ts';
import { resourcePrefix } from '../registry/keys.ts';
import type { PolicySource } from './rbac.ts';
import { RBAC_GROUP, type BindingObject, type RoleObject } from './rbac-types.ts';

export interface InformerPolicySource extends PolicySource {
  start(signal: AbortSignal): Promise<void>;
  hasSynced(): boolean;
  /** Handlers for ClusterRole changes (the aggregation controller). */
  onClusterRoles(h: InformerHandlers): void;
}

export function createInformerPolicySource(store: Store, etcdPrefix: string, log?: (line: string) => void): InformerPolicySource {
  const make = (resource: string): Informer => createInformer({ store, prefix: resourcePrefix(etcdPrefix, { group: RBAC_GROUP, resource }), log });
  const roles = make('roles');
  const roleBindings = make('rolebindings');
  const clusterRoles = make('clusterroles');
  const clusterRoleBindings = make('clusterrolebindings');
  const all = [roles, roleBindings, clusterRoles, clusterRoleBindings];
  // RoleBindings by namespace, rebuilt when the informer's list changes (it is memoized).
  let indexed: readonly unknown[] | undefined;
  let byNamespace = new Map<string, BindingObject[]>();
  const roleBindingsIn = (ns: string): readonly BindingObject[] => {
    const list = roleBindings.list();
    if (list !== indexed) {
      byNamespace = new Map();
      for (const b of list as readonly BindingObject[]) {
        const key = String(b.metadata.namespace ?? '');
        const group = byNamespace.get(key);
        if (group) group.push(b);
        else byNamespace.set(key, [b]);
      }
      indexed = list;
    }
    return byNamespace.get(ns) ?? [];
  };
  return {
    async start(signal) {
      await Promise.all(all.map((i) => i.start(signal)));
    },
    hasSynced: () => all.every((i) => i.hasSynced()),
    getRole: (ns, name) => roles.get(`${ns}/${name}`) as RoleObject | undefined,
    getClusterRole: (name) => clusterRoles.get(name) as RoleObject | undefined,
    clusterRoles: () => clusterRoles.list() as readonly RoleObject[],
    roleBindings: roleBindingsIn,
    clusterRoleBindings: () => clusterRoleBindings.list() as readonly BindingObject[],
    onClusterRoles: (h) => clusterRoles.addHandlers(h),
  };
}
