// Where objects live in storage, as kube-apiserver lays them out under --etcd-prefix:
//   core and built-in groups: <prefix>/<resource>/<namespace>/<name> (cluster-scoped: <prefix>/<resource>/<name>)
//   other groups (APIService, extension types): <prefix>/<group>/<resource>/...
// Every module that reads objects straight from the store goes through these functions.

export const DEFAULT_ETCD_PREFIX = '/registry';

/** Groups whose resources kube-apiserver stores without the group in the key. */
const UNPREFIXED_GROUPS = new Set([
  '',
  'rbac.authorization.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
]);

export interface ResourceRef {
  group: string;
  resource: string;
}

export function resourcePrefix(prefix: string, ref: ResourceRef): string {
  const base = prefix.replace(/\/+$/, '');
  return UNPREFIXED_GROUPS.has(ref.group) ? `${base}/${ref.resource}/` : `${base}/${ref.group}/${ref.resource}/`;
}

/** Prefix listing one namespace (namespaced resources) or all objects (namespace ''). */
export function listKey(prefix: string, ref: ResourceRef, namespace: string): string {
  const p = resourcePrefix(prefix, ref);
  return namespace ? `${p}${namespace}/` : p;
}

export function objectKey(prefix: string, ref: ResourceRef, namespace: string, name: string): string {
  return `${listKey(prefix, ref, namespace)}${name}`;
}
