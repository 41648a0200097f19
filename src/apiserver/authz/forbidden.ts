// The 403 body for a denied request, worded as k8s.io/apiserver responsewriters.Forbidden
// (kubectl.md §7.2): `configmaps is forbidden: User "u" cannot list resource "configmaps"
// in API group "" in the namespace "default"`.
import { StatusError } from '../../apimachinery/status.ts';
import type { Attributes } from './authorizer.ts';

export function forbiddenMessage(a: Attributes): string {
  if (!a.isResourceRequest) return `User "${a.user.name}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${where}`;
}

export function forbiddenError(a: Attributes, reason = ''): StatusError {
  const msg = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.isResourceRequest || !a.resource) return new StatusError('Forbidden', `forbidden: ${msg}`, {});
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const what = a.name ? `${qualified} "${a.name}"` : qualified;
  return new StatusError('Forbidden', `${what} is forbidden: ${msg}`, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
  });
}
