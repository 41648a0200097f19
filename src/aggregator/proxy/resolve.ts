// Backend address resolution (kube-aggregator pkg/apiserver/resolvers.go, apiserver
// pkg/util/proxy/proxy.go ResolveCluster/ResolveEndpoint, spec 2.6). Pure: the caller
// passes what the informer caches hold.
import type { Endpoints, Service, ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';

export interface ResolvedAddress {
  host: string;
  port: number;
}

export class ResolveError extends Error {
  override readonly name = 'ResolveError';
  constructor(
    message: string,
    readonly reason: 'NotFound' | 'ServiceUnavailable' | 'Unsupported',
  ) {
    super(message);
  }
}

export interface ResolveInput {
  namespace: string;
  name: string;
  port: number;
  /** undefined: the Service does not exist. */
  service: Service | undefined;
  /** EndpointSlices labelled kubernetes.io/service-name=<name> in the namespace. */
  slices: readonly EndpointSlice[];
  /** The legacy Endpoints object, used when no slice exists. */
  endpoints?: Endpoints;
  endpointRouting: boolean;
  /** Where `default/kubernetes:443` resolves: this server's own loopback address. */
  loopback?: ResolvedAddress;
  random?: () => number;
}

function findServicePort(svc: Service, port: number, qualifiedName: string): ServicePort {
  const found = (svc.spec?.ports ?? []).find((p) => p.port === port);
  if (!found) throw new ResolveError(`no service port ${port} found for service "${qualifiedName}"`, 'ServiceUnavailable');
  return found;
}

function pickFromSlices(input: ResolveInput, svcPort: ServicePort): ResolvedAddress | undefined {
  const rand = input.random ?? Math.random;
  const family = input.service?.spec?.ipFamilies?.[0];
  const ordered = [...input.slices].sort((a, b) => Number(b.addressType === family) - Number(a.addressType === family));
  const portName = svcPort.name ?? '';
  for (const slice of ordered) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && p.port !== undefined && p.port !== null);
    const eps = slice.endpoints ?? [];
    if (!port || eps.length === 0) continue;
    const start = Math.floor(rand() * eps.length);
    for (let i = 0; i < eps.length; i++) {
      const ep = eps[(start + i) % eps.length];
      if (ep.conditions?.ready === false || ep.addresses.length === 0) continue;
      return { host: ep.addresses[0], port: port.port! };
    }
  }
  return undefined;
}

function pickFromEndpoints(input: ResolveInput, svcPort: ServicePort): ResolvedAddress | undefined {
  const rand = input.random ?? Math.random;
  const portName = svcPort.name ?? '';
  for (const subset of input.endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === portName);
    const addrs = subset.addresses ?? [];
    if (!port || addrs.length === 0) continue;
    return { host: addrs[Math.floor(rand() * addrs.length)].ip, port: port.port };
  }
  return undefined;
}

/** Resolves an APIService's service reference to one `host:port` (throws ResolveError). */
export function resolveService(input: ResolveInput): ResolvedAddress {
  const { namespace, name, port } = input;
  if (input.loopback && namespace === 'default' && name === 'kubernetes' && port === 443) return input.loopback;
  const svc = input.service;
  if (!svc) throw new ResolveError(`service "${name}" not found`, 'NotFound');
  const type = svc.spec?.type ?? 'ClusterIP';
  const qualified = `${namespace}/${name}`;
  if (!input.endpointRouting) {
    if (type === 'ExternalName') return { host: svc.spec?.externalName ?? '', port };
    if (type !== 'ClusterIP' && type !== 'NodePort' && type !== 'LoadBalancer') throw new ResolveError(`unsupported service type "${type}"`, 'Unsupported');
    const ip = svc.spec?.clusterIP ?? '';
    if (ip === 'None') throw new ResolveError('cannot route to service with ClusterIP "None"', 'ServiceUnavailable');
    const p = findServicePort(svc, port, qualified);
    return { host: ip, port: p.port };
  }
  if (type !== 'ClusterIP' && type !== 'NodePort' && type !== 'LoadBalancer') throw new ResolveError(`unsupported service type "${type}"`, 'Unsupported');
  const p = findServicePort(svc, port, qualified);
  const picked = input.slices.length > 0 ? pickFromSlices(input, p) : pickFromEndpoints(input, p);
  if (!picked) throw new ResolveError(`no endpoints available for service "${name}"`, 'ServiceUnavailable');
  return picked;
}

/** `host:port` with IPv6 brackets. */
export function hostPort(a: ResolvedAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
