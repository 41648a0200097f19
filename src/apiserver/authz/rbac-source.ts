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
  return {
    async start(signal) {
      await Promise.all(all.map((i) => i.start(signal)));
    },
    hasSynced: () => all.every((i) => i.hasSynced()),
    getRole: (ns, name) => roles.get(`${ns}/${name}`) as RoleObject | undefined,
    getClusterRole: (name) => clusterRoles.get(name) as RoleObject | undefined,
    clusterRoles: () => clusterRoles.list() as RoleObject[],
    roleBindings: (ns) => (roleBindings.list() as BindingObject[]).filter((b) => b.metadata.namespace === ns),
    clusterRoleBindings: () => clusterRoleBindings.list() as BindingObject[],
    onClusterRoles: (h) => clusterRoles.addHandlers(h),
  };
}
