// Local APIServices for the built-in groups (kubernetes pkg/controlplane/apiserver/aggregator.go
// DefaultGenericAPIServicePriorities plus the kube-apiserver groups, spec 1.8).
import type { APIService } from './types.ts';
import { APISERVICE_API_VERSION, APISERVICE_KIND } from './types.ts';

export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';
export const AUTOMANAGED_ON_START = 'onstart';
export const AUTOMANAGED_CONTINUOUSLY = 'true';

export interface APIServicePriority {
  group: number;
  version: number;
}

/** `<group>/<version>` (core: `/v1`) ⇒ priorities. A GV missing here gets no APIService. */
export const BUILTIN_PRIORITIES: Readonly<Record<string, APIServicePriority>> = {
  '/v1': { group: 18000, version: 1 },
  'apps/v1': { group: 17800, version: 15 },
  'events.k8s.io/v1': { group: 17750, version: 15 },
  'events.k8s.io/v1beta1': { group: 17750, version: 5 },
  'authentication.k8s.io/v1': { group: 17700, version: 15 },
  'authentication.k8s.io/v1beta1': { group: 17700, version: 9 },
  'authentication.k8s.io/v1alpha1': { group: 17700, version: 1 },
  'authorization.k8s.io/v1': { group: 17600, version: 15 },
  'autoscaling/v1': { group: 17500, version: 15 },
  'autoscaling/v2': { group: 17500, version: 30 },
  'batch/v1': { group: 17400, version: 15 },
  'certificates.k8s.io/v1': { group: 17300, version: 15 },
  'certificates.k8s.io/v1beta1': { group: 17300, version: 9 },
  'certificates.k8s.io/v1alpha1': { group: 17300, version: 1 },
  'networking.k8s.io/v1': { group: 17200, version: 15 },
  'policy/v1': { group: 17100, version: 15 },
  'rbac.authorization.k8s.io/v1': { group: 17000, version: 15 },
  'storage.k8s.io/v1': { group: 16800, version: 15 },
  'apiextensions.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1beta1': { group: 16700, version: 12 },
  'admissionregistration.k8s.io/v1alpha1': { group: 16700, version: 9 },
  'scheduling.k8s.io/v1': { group: 16600, version: 15 },
  'coordination.k8s.io/v1': { group: 16500, version: 15 },
  'coordination.k8s.io/v1beta1': { group: 16500, version: 13 },
  'coordination.k8s.io/v1alpha2': { group: 16500, version: 12 },
  'node.k8s.io/v1': { group: 16300, version: 15 },
  'discovery.k8s.io/v1': { group: 16200, version: 15 },
  'discovery.k8s.io/v1beta1': { group: 16200, version: 12 },
  'flowcontrol.apiserver.k8s.io/v1': { group: 16100, version: 21 },
  'flowcontrol.apiserver.k8s.io/v1beta3': { group: 16100, version: 18 },
  'internal.apiserver.k8s.io/v1alpha1': { group: 16000, version: 9 },
  'resource.k8s.io/v1alpha3': { group: 15900, version: 9 },
  'storagemigration.k8s.io/v1alpha1': { group: 15800, version: 9 },
};

/** The APIService name for a group/version: `v1.` for core, `<v>.<g>` otherwise. */
export function apiServiceName(group: string, version: string): string {
  return `${version}.${group}`;
}

/** makeAPIService: undefined when the GV is not in the priority table. */
export function localAPIService(group: string, version: string, priorities = BUILTIN_PRIORITIES): APIService | undefined {
  const p = priorities[`${group}/${version}`];
  if (!p) return undefined;
  return {
    apiVersion: APISERVICE_API_VERSION,
    kind: APISERVICE_KIND,
    metadata: { name: apiServiceName(group, version), labels: { [AUTOMANAGED_LABEL]: AUTOMANAGED_ON_START } },
    spec: { service: null, group, version, groupPriorityMinimum: p.group, versionPriority: p.version },
  };
}

/** apiServicesToRegister: from the delegate's listed paths (`/api/v1`, `/apis/<g>/<v>`). */
export function localAPIServicesForPaths(paths: readonly string[], priorities = BUILTIN_PRIORITIES): APIService[] {
  const out: APIService[] = [];
  for (const p of paths) {
    let svc: APIService | undefined;
    if (p === '/api/v1') svc = localAPIService('', 'v1', priorities);
    else if (p.startsWith('/apis/')) {
      const tokens = p.split('/');
      if (tokens.length === 4) svc = localAPIService(tokens[2], tokens[3], priorities);
    }
    if (svc) out.push(svc);
  }
  return out;
}

/** CRD versions: Local, 1000/100, labelled automanaged=true (spec 1.8.2). */
export function crdAPIService(group: string, version: string): APIService {
  return {
    apiVersion: APISERVICE_API_VERSION,
    kind: APISERVICE_KIND,
    metadata: { name: apiServiceName(group, version), labels: { [AUTOMANAGED_LABEL]: AUTOMANAGED_CONTINUOUSLY } },
    spec: { service: null, group, version, groupPriorityMinimum: 1000, versionPriority: 100 },
  };
}
