// The built-in resources kagg serves, in discovery order.
import type { ResourceDefinition } from '../registry/resource.ts';
import { reviews } from './auth/reviews.ts';
import { leases } from './coordination/leases.ts';
import { configMaps } from './core/configmaps.ts';
import { endpoints } from './core/endpoints.ts';
import { events } from './core/events.ts';
import { namespaces } from './core/namespaces.ts';
import { secrets } from './core/secrets.ts';
import { serviceAccounts } from './core/serviceaccounts.ts';
import { services } from './core/services.ts';
import { endpointSlices } from './discovery/endpointslices.ts';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './rbac/resources.ts';

export function builtInResources(): ResourceDefinition[] {
  return [configMaps, endpoints, events, namespaces, secrets, serviceAccounts, services, ...reviews, leases, endpointSlices, clusterRoleBindings, clusterRoles, roleBindings, roles];
}

export { reconcileClusterRoleAggregation } from './rbac/aggregation.ts';
export { ensureDefaultServiceAccount } from './core/default-service-account.ts';
