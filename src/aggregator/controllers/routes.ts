// The registration controller (kube-aggregator pkg/apiserver/apiservice_controller.go):
// turns each APIService into an immutable routing snapshot and replaces it whole. Its
// sync is safe to repeat. The proxy and the discovery handlers only read the table.
import { availableCondition, caBundleBytes, isLocal, type APIService } from '../apis/types.ts';
import { resolveService, type ResolvedAddress } from '../proxy/resolve.ts';
import { serverNameOf, type RouteSnapshot, type ServiceRef } from '../proxy/snapshot.ts';
import type { ClientCertificate, TransportPool } from '../proxy/transport.ts';
import type { AggregatorCaches } from './caches.ts';

export interface RouteTable {
  byName(name: string): RouteSnapshot | undefined;
  byGroupVersion(group: string, version: string): RouteSnapshot | undefined;
  /** Every snapshot, by name. */
  all(): RouteSnapshot[];
}

export interface RoutesOptions {
  caches: AggregatorCaches;
  pool: TransportPool;
  clientCert: () => ClientCertificate | undefined;
  endpointRouting: boolean;
  loopback?: ResolvedAddress;
}

export interface RoutesController extends RouteTable {
  /** Rebuilds the snapshot of one APIService (or removes it when gone). */
  sync(name: string): void;
  /** Rebuilds every snapshot (proxy client cert reloaded, caches resynced). */
  syncAll(): void;
}

export function buildSnapshot(svc: APIService, opts: RoutesOptions): RouteSnapshot {
  const name = svc.metadata.name ?? '';
  const base = { name, group: svc.spec.group ?? '', version: svc.spec.version ?? '' };
  if (isLocal(svc)) {
    const noRoute = () => {
      throw new Error('local APIService has no backend');
    };
    return Object.freeze({ ...base, local: true, available: true, serverName: '', transport: new Error('local'), resolve: noRoute });
  }
  const ref = svc.spec.service!;
  const service: ServiceRef = Object.freeze({ namespace: ref.namespace ?? '', name: ref.name ?? '', port: ref.port ?? 443 });
  const serverName = serverNameOf(service);
  let transport: RouteSnapshot['transport'];
  try {
    transport = opts.pool.get({ serverName, caBundle: caBundleBytes(svc), insecureSkipTLSVerify: svc.spec.insecureSkipTLSVerify === true, clientCert: opts.clientCert() });
  } catch (err) {
    transport = err instanceof Error ? err : new Error(String(err));
  }
  const { caches } = opts;
  const resolve = () =>
    resolveService({
      namespace: service.namespace,
      name: service.name,
      port: service.port,
      service: caches.service(service.namespace, service.name),
      slices: caches.slicesFor(service.namespace, service.name),
      endpoints: caches.endpointsFor(service.namespace, service.name),
      endpointRouting: opts.endpointRouting,
      loopback: opts.loopback,
    });
  return Object.freeze({ ...base, local: false, available: availableCondition(svc)?.status === 'True', service, serverName, transport, resolve });
}

export function createRoutesController(opts: RoutesOptions): RoutesController {
  let byName = new Map<string, RouteSnapshot>();
  let byGV = new Map<string, RouteSnapshot>();
  const gvKey = (g: string, v: string) => `${g}/${v}`;

  function publish(next: Map<string, RouteSnapshot>): void {
    const gv = new Map<string, RouteSnapshot>();
    for (const s of next.values()) gv.set(gvKey(s.group, s.version), s);
    byName = next;
    byGV = gv;
    const used = new Set<string>();
    for (const s of next.values()) if (!(s.transport instanceof Error)) used.add(s.transport.key);
    opts.pool.retain(used);
  }

  return {
    byName: (name) => byName.get(name),
    byGroupVersion: (g, v) => byGV.get(gvKey(g, v)),
    all: () => [...byName.values()],
    sync(name) {
      const svc = opts.caches.apiService(name);
      const next = new Map(byName);
      if (svc) next.set(name, buildSnapshot(svc, opts));
      else next.delete(name);
      publish(next);
    },
    syncAll() {
      const next = new Map<string, RouteSnapshot>();
      for (const svc of opts.caches.allAPIServices()) next.set(svc.metadata.name ?? '', buildSnapshot(svc, opts));
      publish(next);
    },
  };
}
