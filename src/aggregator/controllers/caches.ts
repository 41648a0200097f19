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
  const endpoints = mk('', 'endpoints');
  // EndpointSlices indexed by `<namespace>/<service-name>` so the per-request resolver
  // does not scan every slice.
  const byService = new Map<string, Map<string, EndpointSlice>>();
  const serviceKeyOf = (o: StoredObject) => {
    const svc = (o.metadata.labels as Record<string, string> | undefined)?.[SERVICE_NAME_LABEL];
    return svc ? `${o.metadata.namespace}/${svc}` : undefined;
  };
  const unindex = (o: StoredObject) => {
    const k = serviceKeyOf(o);
    const m = k ? byService.get(k) : undefined;
    if (!m) return;
    m.delete(String(o.metadata.name));
    if (m.size === 0) byService.delete(k!);
  };
  const index = (o: StoredObject) => {
    const k = serviceKeyOf(o);
    if (!k) return;
    let m = byService.get(k);
    if (!m) byService.set(k, (m = new Map()));
    m.set(String(o.metadata.name), as<EndpointSlice>(o)!);
  };
  const slices = createInformer({
    store,
    prefix: resourcePrefix(etcdPrefix, { group: 'discovery.k8s.io', resource: 'endpointslices' }),
    log,
    onAdd: index,
    onUpdate: (a, b) => {
      unindex(a);
      index(b);
    },
    onDelete: unindex,
  });
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
    slicesFor: (ns, name) => [...(byService.get(`${ns}/${name}`)?.values() ?? [])],
    endpointsFor: (ns, name) => as<Endpoints>(endpoints.get(`${ns}/${name}`)),
  };
}
