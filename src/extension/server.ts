// createExtensionServer: an aggregated API server from resource definitions. Serving is the
// generic registry (scoped to the author's groups); authentication and authorization are
// delegated to the core API server as k8s.io/apiserver does; the filter order is the shared
// buildHandlerChain's.
//
//   const server = await createExtensionServer({ resources, admission, secure: { port: 0, certDir } ,
//     authentication: { kubeconfig }, authorization: { kubeconfig } });
//   const { url } = await server.listen();   // server.caBundle for the APIService
import { readFile } from 'node:fs/promises';
import { internal } from '../apimachinery/status.ts';
import { parseCertPool } from '../apiserver/authn/cert-pool.ts';
import { SYSTEM_GROUPS } from '../apiserver/authn/user.ts';
import type { Authorizer } from '../apiserver/authz/authorizer.ts';
import { unionAuthorizer } from '../apiserver/authz/union.ts';
import type { HealthCheck } from '../apiserver/filters/health-routes.ts';
import { createApiMetrics } from '../apiserver/metrics.ts';
import { createAPIHandler, type APIHandler } from '../apiserver/registry/mod.ts';
import { buildHandlerChain, createRoutes, listen, type RunningServer } from '../apiserver/server.ts';
import { createStore, type Store } from '../storage/mod.ts';
import { createPathAuthorizer, DEFAULT_ALWAYS_ALLOW_PATHS } from './always-allow-paths.ts';
import { EMPTY_SNAPSHOT, type AuthenticationSnapshot, type RequestHeaderSettings } from './auth-config.ts';
import { createConfigMapSource, type AuthenticationSource } from './auth-config-source.ts';
import { loadKubeconfig, createKubeClient, inClusterConnection, type KubeClient } from '../client/kube-client.ts';
import { createDelegatedAuthentication } from './delegated-authentication.ts';
import { convertingStore, inRequestVersion } from './conversion.ts';
import { scopeToGroups } from './group-scope.ts';
import { createNamespaceLifecycle } from './namespace-lifecycle.ts';
import { DEFAULT_REQUEST_HEADER_FLAGS, type ExtensionServerOptions, type RequestHeaderFlags } from './options.ts';
import { loadServingCert } from './serving-cert.ts';
import { createSubjectAccessReviewAuthorizer } from './subject-access-review.ts';
import { createTokenReviewAuthenticator } from './token-review.ts';

export interface ExtensionServer {
  /** PEM of the CA of the serving certificate (base64 it into the APIService's caBundle). */
  readonly caBundle: string;
  /** The port after listen() (the configured one before). */
  readonly port: number;
  readonly url: string;
  readonly store: Store;
  readonly api: APIHandler;
  /** The groups served. */
  readonly groups: readonly string[];
  /** The current trust configuration (from the ConfigMap and flag overrides). */
  authenticationSnapshot(): AuthenticationSnapshot;
  listen(): Promise<RunningServer>;
  close(): Promise<void>;
}

async function readPem(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}

function emptyEntry(flag: string, list: readonly string[] | undefined): void {
  if (list?.some((v) => v.trim() === '')) throw new Error(`empty value in "${flag}"`);
}

async function requestHeaderFromFlags(f: RequestHeaderFlags): Promise<RequestHeaderSettings> {
  emptyEntry('--requestheader-username-headers', f.usernameHeaders);
  emptyEntry('--requestheader-uid-headers', f.uidHeaders);
  emptyEntry('--requestheader-group-headers', f.groupHeaders);
  emptyEntry('--requestheader-extra-headers-prefix', f.extraHeaderPrefixes);
  const caPem = await readPem(f.clientCAFile, '--requestheader-client-ca-file');
  return {
    caPem,
    pool: parseCertPool(caPem, f.clientCAFile),
    allowedNames: f.allowedNames ?? [],
    usernameHeaders: f.usernameHeaders ?? DEFAULT_REQUEST_HEADER_FLAGS.usernameHeaders,
    uidHeaders: f.uidHeaders ?? DEFAULT_REQUEST_HEADER_FLAGS.uidHeaders,
    groupHeaders: f.groupHeaders ?? DEFAULT_REQUEST_HEADER_FLAGS.groupHeaders,
    extraHeaderPrefixes: f.extraHeaderPrefixes ?? DEFAULT_REQUEST_HEADER_FLAGS.extraHeaderPrefixes,
  };
}

/**
 * Clients by kubeconfig path ('' = in-cluster), shared between authn, authz and namespaces.
 * Without a kubeconfig outside a cluster: an error (upstream's RemoteKubeConfigFileOptional
 * false), or, when optional, no client and a log line.
 */
function clientFactory(log: (line: string) => void) {
  const clients = new Map<string, Promise<KubeClient | undefined>>();
  const open = async (kubeconfig: string | undefined, inCluster: boolean | undefined, purpose: 'authentication' | 'authorization' | 'core', optional: boolean): Promise<KubeClient | undefined> => {
    const key = kubeconfig ?? '';
    let p = clients.get(key);
    if (!p) {
      p = (async () => {
        if (kubeconfig) return createKubeClient(await loadKubeconfig(kubeconfig));
        if (inCluster || process.env.KUBERNETES_SERVICE_HOST) return createKubeClient(await inClusterConnection());
        return undefined;
      })();
      clients.set(key, p);
    }
    let client: KubeClient | undefined;
    try {
      client = await p;
    } catch (err) {
      throw new Error(`failed to get delegated ${purpose} kubeconfig: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (client) return client;
    const why = 'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined';
    if (!optional) throw new Error(`failed to get delegated ${purpose} kubeconfig: ${why}`);
    log(`kagg-extension: no ${purpose} kubeconfig and not in a cluster; ${purpose === 'authorization' ? 'only always-allowed paths and groups are authorized' : 'delegated authentication is off'}`);
    return undefined;
  };
  const closeAll = async () => {
    for (const p of clients.values()) (await p.catch(() => undefined))?.close();
  };
  return { open, closeAll };
}

export async function createExtensionServer(options: ExtensionServerOptions): Promise<ExtensionServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const groups = [...new Set(options.resources.map((r) => r.group))];
  if (groups.length === 0 || groups.includes('')) throw new Error('an extension server needs resources of a named API group');
  const authnOptions = options.authentication ?? {};
  const authzOptions = options.authorization ?? {};
  const abort = new AbortController();
  const clients = clientFactory(log);
  const ownsStore = !options.storage || !('get' in options.storage);
  const store: Store = options.storage && 'get' in options.storage ? options.storage : await createStore(options.storage ?? { type: 'memory' });
  let running: RunningServer | undefined;
  const cleanup = async () => {
    abort.abort();
    await running?.close();
    await clients.closeAll();
    if (ownsStore) await store.close();
  };

  try {
    const rhOverride = authnOptions.requestHeader ? await requestHeaderFromFlags(authnOptions.requestHeader) : undefined;
    const clientCAOverride = authnOptions.clientCAFile ? await readPem(authnOptions.clientCAFile, '--client-ca-file') : undefined;
    const overridePool = clientCAOverride ? parseCertPool(clientCAOverride, authnOptions.clientCAFile) : undefined;
    const serving = await loadServingCert(options.secure);
    const authnClient = await clients.open(authnOptions.kubeconfig, authnOptions.inCluster, 'authentication', authnOptions.remoteKubeconfigOptional ?? false);
    const authzClient = await clients.open(authzOptions.kubeconfig ?? authnOptions.kubeconfig, authzOptions.inCluster ?? authnOptions.inCluster, 'authorization', authzOptions.remoteKubeconfigOptional ?? false);
    const coreClient = options.kubeconfig ? await clients.open(options.kubeconfig, false, 'core', false) : authnClient;

    // Trust: the ConfigMap (watched), overridden by flags where given.
    let source: AuthenticationSource | undefined;
    if (authnClient && !authnOptions.skipLookup && !(authnOptions.requestHeader && authnOptions.clientCAFile)) {
      source = createConfigMapSource({ client: authnClient, tolerateLookupFailure: authnOptions.tolerateLookupFailure, log });
      await source.start(abort.signal);
    }
    let composed: { base: AuthenticationSnapshot; out: AuthenticationSnapshot } | undefined;
    const snapshot = (): AuthenticationSnapshot => {
      const base = source?.current() ?? EMPTY_SNAPSHOT;
      if (composed?.base === base) return composed.out;
      const out: AuthenticationSnapshot = {
        clientCAPem: clientCAOverride ?? base.clientCAPem,
        clientCAPool: overridePool ?? base.clientCAPool,
        requestHeader: rhOverride ?? base.requestHeader,
      };
      composed = { base, out };
      return out;
    };

    const authentication = createDelegatedAuthentication({
      snapshot,
      tokens: authnClient ? createTokenReviewAuthenticator({ client: authnClient, ttlMs: authnOptions.tokenReviewTtlMs, audiences: authnOptions.audiences }) : undefined,
      anonymous: authnOptions.anonymous ?? true,
      now: options.clock,
    });

    const alwaysAllowGroups = new Set(authzOptions.alwaysAllowGroups ?? [SYSTEM_GROUPS.masters]);
    const groupAuthorizer: Authorizer = async (a) => (a.user.groups.some((g) => alwaysAllowGroups.has(g)) ? { decision: 'allow', reason: '' } : { decision: 'no-opinion', reason: '' });
    const authorizers: Authorizer[] = [groupAuthorizer, createPathAuthorizer(authzOptions.alwaysAllowPaths ?? DEFAULT_ALWAYS_ALLOW_PATHS)];
    if (authzClient) authorizers.push(createSubjectAccessReviewAuthorizer({ client: authzClient, allowedTtlMs: authzOptions.allowedTtlMs, deniedTtlMs: authzOptions.deniedTtlMs }));

    const etcdPrefix = options.etcdPrefix ?? '/registry';
    const admission = typeof options.admission === 'function' ? options.admission({ store, etcdPrefix }) : options.admission ?? {};
    const api = createAPIHandler({ store: convertingStore(store, etcdPrefix, options.conversions ?? []), etcdPrefix, admission, extraResources: [...options.resources], clock: options.clock });
    const namespaces = createNamespaceLifecycle({
      store,
      etcdPrefix,
      lookup: coreClient ? namespaceLookup(coreClient) : undefined,
    });
    const scoped = scopeToGroups(api, groups, async (req, info, next) => {
      if (info.namespace && (info.verb === 'create' || info.verb === 'patch')) {
        try {
          await namespaces.sync(info.namespace);
        } catch (err) {
          throw internal(`checking namespace ${info.namespace}: ${err instanceof Error ? err.message : String(err)}`, err);
        }
      }
      await inRequestVersion(info.apiVersion, next);
    });

    const ping: HealthCheck = { name: 'ping', check: () => {} };
    const storage: HealthCheck = { name: 'etcd', check: () => store.ping() };
    const health = { livez: [ping], readyz: [ping, storage, ...(options.readyChecks ?? [])] };
    const metrics = createApiMetrics();
    const handler = buildHandlerChain(createRoutes({ health, metrics, api: scoped.handler, log }), {
      metrics,
      authenticate: authentication.authenticate,
      authorize: unionAuthorizer(...authorizers),
      requestHeader: authentication.requestHeaderNames,
      requestTimeoutMs: options.requestTimeoutMs,
      onAuthenticationFailure: (err) => log(`kagg-extension: unable to authenticate the request: ${err.message}`),
    });

    const clientCAs = () => [snapshot().clientCAPem, snapshot().requestHeader.caPem].filter((p) => p.trim() !== '');
    source?.onChange(() => {
      if (!running) return;
      const ca = clientCAs();
      running.server.setSecureContext({ cert: serving.cert, key: serving.key, minVersion: 'TLSv1.2', ...(ca.length > 0 ? { ca } : {}) });
    });

    return {
      caBundle: serving.caBundle,
      get port() { return running?.port ?? options.secure.port; },
      get url() { return running?.url ?? ''; },
      store,
      api,
      groups,
      authenticationSnapshot: snapshot,
      async listen() {
        running ??= await listen(handler, { host: options.secure.bindAddress ?? '0.0.0.0', port: options.secure.port, tls: { cert: serving.cert, key: serving.key, clientCAs: clientCAs() }, signal: abort.signal });
        return running;
      },
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function namespaceLookup(client: KubeClient) {
  return async (name: string) => {
    const r = await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(name)}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`get namespace ${name} from the core server: ${r.status}`);
    return JSON.parse(r.body) as { metadata: Record<string, unknown> };
  };
}
