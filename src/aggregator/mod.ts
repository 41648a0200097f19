// The aggregation layer (kube-aggregator): APIService routing, the authenticating proxy,
// availability, discovery and OpenAPI aggregation, the authentication ConfigMap.
//
// Wiring (spec 0, 2.1): `handler` runs AFTER authentication, impersonation and
// authorization, in front of the core API handler it was given as `local`:
//   buildHandlerChain(createRoutes({ ..., api: aggregator.handler }), deps)
// Upgrade requests (exec/attach/port-forward, websocket watch) must reach the chain from
// the server's 'upgrade' event: call `handleUpgrades(server, chain)` once after listen.
import { setMaxListeners } from 'node:events';
import type { Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServerResponse as NodeServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { urlOf, type Handler } from '../apiserver/request/context.ts';
import type { Store } from '../storage/interface.ts';
import type { HealthCheck } from '../apiserver/filters/health-routes.ts';
import { DEFAULT_ETCD_PREFIX } from '../apiserver/registry/keys.ts';
import { localAPIServicesForPaths } from './apis/local-apiservices.ts';
import type { APIService } from './apis/types.ts';
import { watchFilePair, type FileWatch, type CertKeyPair } from './certs/reload.ts';
import { createAuthConfigMapPublisher, type AuthenticationInfo } from './controllers/auth-configmap.ts';
import { createAvailabilityController, type AvailabilityController } from './controllers/availability.ts';
import { autoRegisterOnStart } from './controllers/autoregister.ts';
import { createCaches, type AggregatorCaches } from './controllers/caches.ts';
import { createAvailabilityMetrics } from './controllers/metrics.ts';
import { createRoutesController, type RouteTable } from './controllers/routes.ts';
import { createDiscoveryFetcher } from './discovery/fetcher.ts';
import { createDiscoveryHandlers } from './discovery/handler.ts';
import { createLocalReads } from './local-discovery.ts';
import { createOpenAPIAggregator } from './openapi/controller.ts';
import { proxyRequest } from './proxy/handler.ts';
import type { ResolvedAddress } from './proxy/resolve.ts';
import type { ClientCertificate } from './proxy/transport.ts';
import { createTransportPool } from './proxy/transport.ts';
import { rememberUpgradeHead } from './proxy/upgrade.ts';

export type { APIService } from './apis/types.ts';
export type { RouteSnapshot } from './proxy/snapshot.ts';
export type { RouteTable } from './controllers/routes.ts';
export type { AuthenticationInfo } from './controllers/auth-configmap.ts';
export { authenticationInfoFrom } from './controllers/auth-configmap.ts';
export { apiServiceResource } from './apis/resource.ts';
export { watchFilePair, watchCABundle, watchFiles } from './certs/reload.ts';
export { rememberUpgradeHead } from './proxy/upgrade.ts';
export { validateAPIService, validateAPIServiceStatus } from './apis/validation.ts';
export { compareKubeAwareVersions, byKubeAwareVersion } from './discovery/version-order.ts';

export interface AggregatorOptions {
  store: Store;
  etcdPrefix?: string;
  /** The core API handler (registry): Local APIServices and everything unmatched go here. */
  local: Handler;
  /** --proxy-client-cert-file / --proxy-client-key-file (reloaded on change). */
  proxyClientCertFile?: string;
  proxyClientKeyFile?: string;
  /** --enable-aggregator-routing. */
  enableAggregatorRouting?: boolean;
  /** --aggregator-reject-forwarding-redirect (default true). */
  rejectForwardingRedirect?: boolean;
  /** This server's own address, for `default/kubernetes:443`. */
  loopback?: ResolvedAddress;
  /** Custom --requestheader-* header names to strip from proxied requests. */
  stripHeaders?: readonly string[];
  /** What to publish in kube-system/extension-apiserver-authentication; omit to not publish. */
  authentication?: () => AuthenticationInfo;
  /** Group/version paths the delegate serves (`/api/v1`, `/apis/<g>/<v>`); default: read in-process. */
  listedPaths?: () => Promise<string[]>;
  /** prom-client registry for aggregator_unavailable_apiservice (the server's /metrics). */
  registry?: Registry;
  availabilityResyncMs?: number;
  discoveryRefreshMs?: number;
  openapiRefreshMs?: number;
  certCheckIntervalMs?: number;
  log?: (line: string) => void;
}

export interface Aggregator {
  /** Serve after authorization, in front of `local`. */
  handler: Handler;
  /** Starts informers and controllers; resolves once every APIService was installed and discovered once. */
  start(signal: AbortSignal): Promise<void>;
  /** Why the aggregator is not ready yet (undefined when ready). */
  ready(): string | undefined;
  /** For /readyz (and /healthz): the post-start hooks and `autoregister-completion` (spec 0, 1.8.3). */
  healthChecks: HealthCheck[];
  routes: RouteTable;
  caches: AggregatorCaches;
  availability: AvailabilityController;
  /** The current proxy client certificate generation (tests, console). */
  proxyClientCertGeneration(): number;
}

export function createAggregator(options: AggregatorOptions): Aggregator {
  const etcdPrefix = options.etcdPrefix ?? DEFAULT_ETCD_PREFIX;
  const log = options.log ?? (() => {});
  const caches = createCaches(options.store, etcdPrefix, log);
  const pool = createTransportPool();
  let certWatch: FileWatch<CertKeyPair> | undefined;
  const clientCert = (): ClientCertificate | undefined => {
    const c = certWatch?.current();
    return c ? { cert: c.value.cert, key: c.value.key, generation: c.generation } : undefined;
  };
  const routes = createRoutesController({ caches, pool, clientCert, endpointRouting: options.enableAggregatorRouting ?? false, loopback: options.loopback });
  const localReads = createLocalReads(options.local);
  const metrics = createAvailabilityMetrics(options.registry);
  const availability = createAvailabilityController({ store: options.store, etcdPrefix, caches, routes, metrics, resyncMs: options.availabilityResyncMs, log });
  const fetcher = createDiscoveryFetcher({ routes, refreshMs: options.discoveryRefreshMs, log });
  const services = (): APIService[] => caches.allAPIServices();
  const discovery = createDiscoveryHandlers({ services, remote: () => fetcher.remote(), localDiscovery: () => localReads.discovery(), local: options.local, inputsVersion: () => `${caches.apiServices.revision()}/${fetcher.generation()}` });
  const proxyOpts = { local: options.local, rejectForwardingRedirect: options.rejectForwardingRedirect, stripHeaders: options.stripHeaders, log: (m: string, e?: unknown) => log(`${m}${e ? `: ${e instanceof Error ? e.message : String(e)}` : ''}`) };
  const proxy = (req: IncomingMessage, res: ServerResponse, snap: Parameters<typeof proxyRequest>[2]) => proxyRequest(req, res, snap, proxyOpts);
  const openapi = createOpenAPIAggregator({ routes, services, local: options.local, localV2: () => localReads.openapiV2(), localV3Index: () => localReads.openapiV3Index(), proxy, refreshMs: options.openapiRefreshMs, log });
  let installed = false;
  let discovered = false;
  let pendingAutoregister: Set<string> | undefined;

  function handler(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    const path = urlOf(req).pathname;
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && path === '/apis') return discovery.apis(req, res, true);
    if (get && path === '/apis/') return discovery.apis(req, res, false);
    if (get && path === '/openapi/v2') return openapi.serveV2(req, res);
    if (get && path === '/openapi/v3') return openapi.serveV3Index(req, res);
    if (get && path.startsWith('/openapi/v3/')) return openapi.serveV3Document(req, res);
    if (path === '/api' || path.startsWith('/api/')) {
      const core = routes.byName('v1.');
      return core && !core.local ? proxy(req, res, core) : options.local(req, res);
    }
    if (path.startsWith('/apis/')) {
      const parts = path.split('/'); // ['', 'apis', group, version, ...]
      const group = parts[2] ?? '';
      const version = parts[3] ?? '';
      if (group && (parts.length === 3 || (parts.length === 4 && version === ''))) {
        if (get) return discovery.group(req, res, group);
        return options.local(req, res);
      }
      const snap = group && version ? routes.byGroupVersion(group, version) : undefined;
      if (snap) return proxy(req, res, snap);
    }
    return options.local(req, res);
  }

  return {
    handler,
    routes,
    caches,
    availability,
    proxyClientCertGeneration: () => certWatch?.current().generation ?? 0,
    healthChecks: [
      { name: 'poststarthook/start-kube-aggregator-informers', check: () => assertReady(installed, 'not finished') },
      { name: 'poststarthook/apiservice-registration-controller', check: () => assertReady(installed, 'not finished') },
      { name: 'poststarthook/apiservice-discovery-controller', check: () => assertReady(discovered, 'not finished') },
      { name: 'autoregister-completion', check: () => assertReady(!pendingAutoregister || pendingAutoregister.size === 0, `missing APIService: [${[...(pendingAutoregister ?? [])].sort().join(' ')}]`) },
    ],
    ready() {
      if (!installed) return 'not all APIServices installed';
      if (pendingAutoregister && pendingAutoregister.size > 0) return `missing APIService: [${[...pendingAutoregister].sort().join(' ')}]`;
      return undefined;
    },
    async start(signal) {
      setMaxListeners(100, signal);
      if (options.proxyClientCertFile && options.proxyClientKeyFile) {
        certWatch = await watchFilePair(options.proxyClientCertFile, options.proxyClientKeyFile, {
          signal,
          intervalMs: options.certCheckIntervalMs,
          onChange: (c) => {
            log(`proxy client certificate reloaded (generation ${c.generation})`);
            routes.syncAll();
          },
          onError: (err) => log(`proxy client certificate not reloaded: ${err.message}`),
        });
      }
      await caches.start(signal);
      routes.syncAll();
      caches.apiServices.addHandlers({
        onAdd: (o) => {
          routes.sync(String(o.metadata.name));
          if (routes.byName(String(o.metadata.name))?.available) pendingAutoregister?.delete(String(o.metadata.name));
          fetcher.enqueue(String(o.metadata.name), false);
          openapi.enqueue(String(o.metadata.name));
        },
        onUpdate: (_a, b) => {
          const name = String(b.metadata.name);
          routes.sync(name);
          fetcher.enqueue(name, true);
          openapi.enqueue(name);
          if (pendingAutoregister?.has(name) && routes.byName(name)?.available) pendingAutoregister.delete(name);
        },
        onDelete: (o) => {
          const name = String(o.metadata.name);
          routes.sync(name);
          fetcher.remove(name);
          openapi.remove(name);
        },
      });
      // Endpoints and Services change what the resolver returns, but snapshots read the
      // caches per request, so only availability needs to hear about them.
      installed = true;
      const wanted = localAPIServicesForPaths(await (options.listedPaths ?? (() => localReads.listedPaths()))());
      pendingAutoregister = new Set(wanted.map((s) => s.metadata.name ?? ''));
      await autoRegisterOnStart(wanted, { store: options.store, etcdPrefix });
      for (const name of [...pendingAutoregister]) if (caches.apiService(name) && routes.byName(name)?.available) pendingAutoregister.delete(name);
      availability.start(signal);
      fetcher.start(signal);
      openapi.start(signal);
      if (options.authentication) createAuthConfigMapPublisher({ store: options.store, etcdPrefix, info: options.authentication, log }).start(signal);
      signal.addEventListener('abort', () => void pool.close(), { once: true });
      await fetcher.fetchAll();
      discovered = true;
    },
  };
}

function assertReady(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/**
 * Delivers upgrade requests (WebSocket/SPDY) through `chain` like any other request: a
 * ServerResponse bound to the raw socket lets filters answer 401/403 as Status; the proxy
 * takes the socket over for a 101.
 */
export function handleUpgrades(server: HttpsServer, chain: Handler): void {
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    rememberUpgradeHead(req, head);
    const res = new NodeServerResponse(req);
    res.assignSocket(req.socket);
    res.shouldKeepAlive = false;
    res.on('finish', () => socket.end());
    socket.on('error', () => socket.destroy());
    Promise.resolve(chain(req, res)).catch(() => socket.destroy());
  });
}
