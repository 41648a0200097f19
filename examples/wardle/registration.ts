// The objects that put a running wardle server behind an aggregator, as data (for `kagg up`
// and tests; deploy/wardle/ has the in-cluster equivalents): Namespace, Service, and the
// v1alpha1/v1beta1 APIServices carrying the serving CA. A local server is not behind a real
// ClusterIP, so either
//   routing 'endpoints' (default): a ClusterIP Service (address allocated by the server) with
//     Endpoints and an EndpointSlice on the server's address — needs the aggregator's
//     --enable-aggregator-routing;
//   routing 'external-name': an ExternalName Service naming the address — the aggregator
//     dials <externalName>:<APIService port> without endpoint routing.
// Create them in the order of `ordered()`; the APIServices last.
import { WARDLE_GROUP } from './flunder.ts';

export interface WardleRegistrationOptions {
  /** The server's port. */
  port: number;
  /** PEM of the CA of the serving certificate (ExtensionServer.caBundle / the printed caBundle). */
  caBundle: string;
  /** Where the server listens; default 127.0.0.1 (used as the Service's clusterIP and endpoint). */
  address?: string;
  namespace?: string;
  service?: string;
  routing?: 'endpoints' | 'external-name';
}

export const WARDLE_SERVICE = { namespace: 'wardle', name: 'api' } as const;

/** The DNS name the aggregator verifies the serving certificate against. */
export function wardleServerName(o: Pick<WardleRegistrationOptions, 'namespace' | 'service'> = {}): string {
  return `${o.service ?? WARDLE_SERVICE.name}.${o.namespace ?? WARDLE_SERVICE.namespace}.svc`;
}

export interface WardleRegistration {
  namespace: Record<string, unknown>;
  service: Record<string, unknown>;
  /** Absent with routing 'external-name'. */
  endpoints?: Record<string, unknown>;
  endpointSlice?: Record<string, unknown>;
  apiServices: Record<string, unknown>[];
  /** `[apiPath, object]` in creation order. */
  ordered(): Array<[string, Record<string, unknown>]>;
}

export function wardleRegistration(o: WardleRegistrationOptions): WardleRegistration {
  const namespace = o.namespace ?? WARDLE_SERVICE.namespace;
  const name = o.service ?? WARDLE_SERVICE.name;
  const address = o.address ?? '127.0.0.1';
  const caBundle = Buffer.from(o.caBundle).toString('base64');
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  const external = o.routing === 'external-name';
  const ports = [{ port: o.port, targetPort: o.port, protocol: 'TCP' }];
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: external ? { type: 'ExternalName', externalName: address, ports } : { type: 'ClusterIP', ports } };
  const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace }, subsets: [{ addresses: [{ ip: address }], ports: [{ port: o.port, protocol: 'TCP' }] }] };
  const endpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-local`, namespace, labels: { 'kubernetes.io/service-name': name } },
    addressType: address.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ port: o.port, protocol: 'TCP' }],
  };
  const apiService = (version: string, versionPriority: number) => ({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.${WARDLE_GROUP}` },
    spec: { group: WARDLE_GROUP, version, service: { namespace, name, port: o.port }, caBundle, groupPriorityMinimum: 1000, versionPriority },
  });
  const apiServices = [apiService('v1alpha1', 15), apiService('v1beta1', 20)];
  return {
    namespace: ns,
    service,
    ...(external ? {} : { endpoints, endpointSlice }),
    apiServices,
    ordered: () => [
      ['/api/v1/namespaces', ns],
      [`/api/v1/namespaces/${namespace}/services`, service],
      ...(external ? [] : [
        [`/api/v1/namespaces/${namespace}/endpoints`, endpoints],
        [`/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`, endpointSlice],
      ] as Array<[string, Record<string, unknown>]>),
      ...apiServices.map((a): [string, Record<string, unknown>] => ['/apis/apiregistration.k8s.io/v1/apiservices', a]),
    ],
  };
}
