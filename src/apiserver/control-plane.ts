// Assembles a running API server from resolved options: store, authentication,
// authorization (RBAC informers), review actions, admission hooks, the generic registry,
// bootstrap objects, health checks, metrics, the handler chain and the TLS listener.
// `kagg serve` and the test harness both call `startControlPlane`.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server as HttpsServer } from 'node:https';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey } from '../pki/mod.ts';
import { createStore } from '../storage/mod.ts';
import type { Store } from '../storage/interface.ts';
import { parseCertPool } from './authn/cert-pool.ts';
import { loadAuthentication, type Authentication, type CALoader } from './authn/from-options.ts';
import { createSelfSubjectReviewAction } from './authn/self-subject-review.ts';
import type { ObjectLookup } from './authn/service-account.ts';
import { createTokenRequestAction } from './authn/token-request.ts';
import { createTokenReviewAction } from './authn/token-review.ts';
import { startAggregationController } from './authz/aggregation-controller.ts';
import { writeBootstrapPolicy } from './authz/bootstrap-writer.ts';
import { createEscalationHook } from './authz/escalation.ts';
import { createAuthorization, type Authorization } from './authz/from-options.ts';
import { createSelfSubjectRulesReviewAction } from './authz/rules-review.ts';
import { createLocalSubjectAccessReviewAction, createSelfSubjectAccessReviewAction, createSubjectAccessReviewAction } from './authz/subject-access-review.ts';
import type { HealthCheck } from './filters/health-routes.ts';
import { createApiMetrics, type ApiMetrics } from './metrics.ts';
import type { ServeOptions, StorageOptions } from './options.ts';
import type { Action } from './registry/action.ts';
import type { AdmissionHook } from './registry/admission.ts';
import { createCachedLookup } from './object-lookup.ts';
import { buildHandlerChain, createRoutes, listen, type Handler, type RunningServer } from './server.ts';
import { createAPIHandler } from './registry/mod.ts';

/** What an API factory gets: the registry's inputs plus the server's own state. */
export interface ApiFactoryContext {
  store: Store;
  etcdPrefix: string;
  actions: Record<string, Action>;
  admission: Record<string, AdmissionHook[]>;
  options: Readonly<ServeOptions>;
  authentication: Authentication;
  metrics: ApiMetrics;
  /** Aborted when the server stops. */
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface ApiParts {
  /** Runs after authorization (behind createRoutes). */
  handler: Handler;
  /** Called once before listening (namespaces, controllers). */
  bootstrap(): Promise<void>;
  /** A readyz check: undefined when ready, else why not. */
  ready?(): string | undefined;
  /** Called once after listening, e.g. to deliver 'upgrade' requests through the chain. */
  attach?(server: HttpsServer, chain: Handler): void;
}

/** The API behind the filters; default: the generic registry alone (`kagg serve` adds the aggregator). */
export type ApiHandlerFactory = (ctx: ApiFactoryContext) => ApiParts;

export const registryApiFactory: ApiHandlerFactory = (ctx) => createAPIHandler({ store: ctx.store, etcdPrefix: ctx.etcdPrefix, actions: ctx.actions, admission: ctx.admission });

/**
 * Follows files and re-parses them on change, keeping the last good value (kube-apiserver's
 * dynamiccertificates). `kagg serve` passes the aggregator's `watchFiles`.
 */
export type FileWatcher = <T>(paths: readonly string[], parse: (contents: Buffer[]) => T, options: { onChange?: () => void; onError?: (err: Error) => void; signal?: AbortSignal }) => Promise<{ current(): { value: T } }>;

export interface ControlPlaneDeps {
  /** Reload the serving certificate and the client CAs when their files change; default: read once. */
  watchFiles?: FileWatcher;
  log?: (line: string) => void;
  /** The API handler; default: the registry's createAPIHandler. Tests may pass a stub. */
  createApi?: ApiHandlerFactory;
  /** Use this store instead of opening one from options.storage. */
  store?: Store;
  now?: () => Date;
}

export interface ControlPlane {
  server: RunningServer;
  store: Store;
  authentication: Authentication;
  authorization: Authorization;
  metrics: ApiMetrics;
  close(): Promise<void>;
}

async function openStore(storage: StorageOptions): Promise<Store> {
  if (storage.type !== 'etcd' || !storage.tls) return createStore(storage.type === 'etcd' ? { type: 'etcd', endpoints: storage.endpoints } : storage);
  const read = (p: string | undefined) => (p ? readFile(p, 'utf8') : Promise.resolve(''));
  const [ca, cert, key] = await Promise.all([read(storage.tls.ca), read(storage.tls.cert), read(storage.tls.key)]);
  return createStore({ type: 'etcd', endpoints: storage.endpoints, tls: { ca, cert, key } });
}

type Serving = () => { cert: string; key: string };

/** Prefixes a file error with the flag and path it came from. */
async function named<T>(flag: string, file: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw new Error(`${flag} ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

async function servingMaterial(options: Readonly<ServeOptions>, reload?: { watchFiles: FileWatcher; onChange: () => void; onError: (err: Error) => void; signal: AbortSignal }): Promise<Serving> {
  if (options.tlsCertFile && options.tlsPrivateKeyFile) {
    const parse = ([cert, key]: Buffer[]) => {
      const pair = { cert: cert.toString('utf8'), key: key.toString('utf8') };
      if (!new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key))) throw new Error(`${options.tlsPrivateKeyFile} does not match ${options.tlsCertFile}`);
      return pair;
    };
    const what = `${options.tlsCertFile}, ${options.tlsPrivateKeyFile}`;
    if (reload) {
      const w = await named('--tls-cert-file/--tls-private-key-file', what, reload.watchFiles([options.tlsCertFile, options.tlsPrivateKeyFile], parse, reload));
      return () => w.current().value;
    }
    const pair = await named('--tls-cert-file/--tls-private-key-file', what, Promise.all([readFile(options.tlsCertFile), readFile(options.tlsPrivateKeyFile)]).then(parse));
    return () => pair;
  }
  if (options.tlsCertFile || options.tlsPrivateKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
  // kube-apiserver generates a self-signed serving certificate when none is given.
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await createSelfSignedCA({ key, subject: { CN: 'localhost@kagg' }, sans: { dns: ['localhost'], ip: ['127.0.0.1'] }, expiry: '8760h' });
  const pair = { cert: cert.pem, key: encodePrivateKeyPem(key, 'pkcs8') };
  return () => pair;
}

export function reviewActions(authn: Authentication, authz: Authorization, options: Readonly<ServeOptions>, lookup: ObjectLookup, now?: () => Date): Record<string, Action> {
  return {
    'authentication.k8s.io/v1/tokenreviews': createTokenReviewAction({ tokens: authn.tokens, apiAudiences: options.apiAudiences }),
    'authentication.k8s.io/v1/selfsubjectreviews': createSelfSubjectReviewAction({ now }),
    'authorization.k8s.io/v1/subjectaccessreviews': createSubjectAccessReviewAction(authz.authorize),
    'authorization.k8s.io/v1/selfsubjectaccessreviews': createSelfSubjectAccessReviewAction(authz.authorize),
    'authorization.k8s.io/v1/localsubjectaccessreviews': createLocalSubjectAccessReviewAction(authz.authorize),
    'authorization.k8s.io/v1/selfsubjectrulesreviews': createSelfSubjectRulesReviewAction(authz.resolveRules),
    'v1/serviceaccounts/token': createTokenRequestAction({ signer: authn.signer, apiAudiences: options.apiAudiences, lookup, now, maxExpirationSeconds: options.serviceAccountMaxTokenExpirationSeconds }),
  };
}

export async function startControlPlane(options: Readonly<ServeOptions>, deps: ControlPlaneDeps = {}): Promise<ControlPlane> {
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const abort = new AbortController();
  const store = deps.store ?? (await openStore(options.storage));
  const cleanup = async () => {
    abort.abort();
    if (!deps.store) await store.close();
  };
  try {
    const cachedLookup = createCachedLookup(store, options.etcdPrefix, log);
    await cachedLookup.start(abort.signal);
    const lookup = cachedLookup.lookup;
    // Set once listening: pushes changed serving material or CAs into the TLS context.
    let refreshTls = () => {};
    const watchFiles = deps.watchFiles;
    const onError = (err: Error) => log(`kagg: certificate file not reloaded: ${err.message}`);
    const loadCA: CALoader | undefined = watchFiles
      ? async (file, flag) => {
          const w = await named(flag, file, watchFiles([file], ([pem]) => {
            parseCertPool(pem.toString('utf8'), file);
            return pem.toString('utf8');
          }, { onChange: () => refreshTls(), onError, signal: abort.signal }));
          return () => w.current().value;
        }
      : undefined;
    const authentication = await loadAuthentication(options, { lookup, now: deps.now, loadCA });
    const authorization = createAuthorization(options.authorizationModes, store, options.etcdPrefix, log);
    const admission: Record<string, AdmissionHook[]> = {};
    if (authorization.policy) {
      const hook = createEscalationHook({ authorize: authorization.authorize, source: authorization.policy });
      for (const r of ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']) admission[`rbac.authorization.k8s.io/${r}`] = [hook];
    }
    const actions = reviewActions(authentication, authorization, options, lookup, deps.now);
    const metrics = createApiMetrics();
    const api = (deps.createApi ?? registryApiFactory)({ store, etcdPrefix: options.etcdPrefix, actions, admission, options, authentication, metrics, signal: abort.signal, log });
    await api.bootstrap();

    let bootstrapped = false;
    if (authorization.policy) {
      const created = await writeBootstrapPolicy(store, options.etcdPrefix);
      if (created.length > 0) log(`kagg: created ${created.length} bootstrap RBAC objects`);
      await authorization.policy.start(abort.signal);
      startAggregationController({ store, etcdPrefix: options.etcdPrefix, source: authorization.policy, log }, abort.signal);
    }
    bootstrapped = true;

    const ping: HealthCheck = { name: 'ping', check: () => {} };
    const storage: HealthCheck = { name: 'etcd', check: () => store.ping() };
    const rbac: HealthCheck = { name: 'poststarthook/rbac/bootstrap-roles', check: () => {
      if (!bootstrapped || (authorization.policy && !authorization.policy.hasSynced())) throw new Error('not finished');
    } };
    const apiReady: HealthCheck = { name: 'poststarthook/apiservice-registration-controller', check: () => {
      const why = api.ready?.();
      if (why) throw new Error(why);
    } };
    const health = { livez: [ping, storage, rbac], readyz: [ping, storage, rbac, ...(api.ready ? [apiReady] : [])] };

    const handler = buildHandlerChain(createRoutes({ health, metrics, api: api.handler, log }), {
      authenticate: authentication.authenticate,
      authorize: authorization.authorize,
      requestHeader: authentication.requestHeader,
      maxBodyBytes: options.maxRequestBodyBytes,
      requestTimeoutMs: options.requestTimeoutMs,
      metrics,
    });
    const serving = await servingMaterial(options, watchFiles && { watchFiles, onChange: () => refreshTls(), onError, signal: abort.signal });
    const server = await listen(handler, { host: options.bindAddress, port: options.securePort, tls: { ...serving(), clientCAs: authentication.clientCAs }, signal: abort.signal });
    refreshTls = () => {
      const clientCAs = authentication.clientCAs.filter((c) => c.length > 0);
      server.server.setSecureContext({ ...serving(), ...(clientCAs.length > 0 ? { ca: clientCAs } : {}), minVersion: 'TLSv1.2' });
      log('kagg: serving certificate or client CAs reloaded');
    };
    api.attach?.(server.server, handler);
    return {
      server,
      store,
      authentication,
      authorization,
      metrics,
      async close() {
        await server.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
