// The informer caches the aggregator reads: APIServices, Services, EndpointSlices and
// Endpoints, listed and watched straight from the store (src/controller/informer.ts).
import type { Endpoints, Service } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import { createInformer, type Informer } from '../../controller/informer.ts';
import { DEFAULT_ETCD_PREFIX, resourcePrefix } from '../../apiserver/registry/keys.ts';
import type { Store, StoredObject } from '../../storage/interface.ts';
import { APISERVICE_RESOURCE, type APIService } from '../apis/types.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface AggregatorCaches {
  apiServices: Informer;
  services: Informer;
  slices: Informer;
  endpoints: Informer;
  start(signal: AbortSignal): Promise<void>;
  apiService(name: string): APIService | undefined;
  allAPIServices(): APIService[];
  service(namespace: string, name: string): Service | undefined;
  slicesFor(namespace: string, name: string): EndpointSlice[];
  endpointsFor(namespace: string, name: string): Endpoints | undefined;
}

/** Stored objects are plain JSON of these kinds; the informer types them loosely. */
function as<T>(obj: StoredObject | undefined): T | undefined {
  return obj as unknown as T | undefined;
}

export function createCaches(store: Store, etcdPrefix = DEFAULT_ETCD_PREFIX, log?: (line: string) => void): AggregatorCaches {
  const mk = (group: string, resource: string) => createInformer({ store, prefix: resourcePrefix(etcdPrefix, { group, resource }), log });
  const apiServices = mk(APISERVICE_RESOURCE.group, APISERVICE_RESOURCE.resource);
  const services = mk('', 'services');
  const slices = mk('discovery.k8s.io', 'endpointslices');
  const endpoints = mk('', 'endpoints');
  return {
    apiServices,
    services,
    slices,
    endpoints,
    async start(signal) {
      await Promise.all([apiServices, services, slices, endpoints].map((i) => i.start(signal)));
    },
    apiService: (name) => as<APIService>(apiServices.get(name)),
    allAPIServices: () => apiServices.list().map((o) => as<APIService>(o)!).sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1)),
    service: (ns, name) => as<Service>(services.get(`${ns}/${name}`)),
    slicesFor: (ns, name) =>
      slices
        .list()
        .filter((o) => o.metadata.namespace === ns && (o.metadata.labels as Record<string, string> | undefined)?.[SERVICE_NAME_LABEL] === name)
        .map((o) => as<EndpointSlice>(o)!),
    endpointsFor: (ns, name) => as<Endpoints>(endpoints.get(`${ns}/${name}`)),
  };
}
