// apidiscovery.k8s.io/v2 (and v2beta1, the same shape) — kubernetes/api apidiscovery/v2/types.go.

export interface GroupVersionKind {
  group?: string;
  version?: string;
  kind?: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind?: GroupVersionKind;
  acceptedTypes?: GroupVersionKind[];
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind?: GroupVersionKind;
  scope: 'Cluster' | 'Namespaced';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export type Freshness = 'Current' | 'Stale';

export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  freshness?: Freshness;
}

export interface APIGroupDiscovery {
  metadata: { name: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: string;
  metadata: Record<string, unknown>;
  items: APIGroupDiscovery[];
}

/** Legacy meta/v1 APIResourceList (GET /apis/<g>/<v>). */
export interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  kind?: 'APIResourceList';
  groupVersion: string;
  resources: APIResource[];
}

export const DISCOVERY_API_VERSIONS = { v2: 'apidiscovery.k8s.io/v2', v2beta1: 'apidiscovery.k8s.io/v2beta1' } as const;
export const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
