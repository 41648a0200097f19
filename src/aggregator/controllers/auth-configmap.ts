// Publishes kube-system/extension-apiserver-authentication (kubernetes
// pkg/controlplane/controller/clusterauthenticationtrust, spec 6.1–6.2): the union of the
// existing content and this server's client CA and requestheader settings; written only
// when it changed; re-synced every minute and on changes of the ConfigMap.
import { randomUUID, X509Certificate } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_ETCD_PREFIX, objectKey } from '../../apiserver/registry/keys.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { Store, StoredObject } from '../../storage/interface.ts';
import { rfc3339 } from '../apis/conditions.ts';
import { AUTH_CONFIGMAP, AUTH_CONFIGMAP_KEYS } from '../../apiserver/authn/auth-configmap.ts';

export { AUTH_CONFIGMAP, AUTH_CONFIGMAP_KEYS };

export interface AuthenticationInfo {
  clientCA?: Buffer;
  requestHeader?: {
    ca?: Buffer;
    allowedNames: readonly string[];
    usernameHeaders: readonly string[];
    uidHeaders: readonly string[];
    groupHeaders: readonly string[];
    extraHeadersPrefix: readonly string[];
  };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const EXPIRED_GRACE_MS = 5 * 60_000;

/** Union of CA bundles: drop certs expired more than 5 min ago and byte-identical duplicates. */
export function combineCABundles(bundles: readonly string[], now: Date): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const bundle of bundles) {
    for (const block of bundle.match(PEM_CERT) ?? []) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(block);
      } catch {
        continue;
      }
      if (Date.parse(cert.validTo) < now.getTime() - EXPIRED_GRACE_MS) continue;
      const der = cert.raw.toString('base64');
      if (seen.has(der)) continue;
      seen.add(der);
      out.push(`-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
    }
  }
  return out.join('');
}

function parseList(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  const parsed: unknown = JSON.parse(value);
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) throw new Error(`not a JSON string array: ${value}`);
  return parsed;
}

function union(existing: readonly string[], own: readonly string[]): string[] {
  return [...new Set([...existing, ...own])];
}

/** The ConfigMap data after merging this server's info into `existing` (spec 6.2.2–6.2.3). */
export function mergeAuthenticationData(existing: Record<string, string>, own: AuthenticationInfo, now: Date): Record<string, string> {
  const data: Record<string, string> = {};
  const clientCA = combineCABundles([existing[AUTH_CONFIGMAP_KEYS.clientCA] ?? '', own.clientCA?.toString('utf8') ?? ''], now);
  if (clientCA) data[AUTH_CONFIGMAP_KEYS.clientCA] = clientCA;
  const rh = own.requestHeader;
  const rhCA = combineCABundles([existing[AUTH_CONFIGMAP_KEYS.requestHeaderCA] ?? '', rh?.ca?.toString('utf8') ?? ''], now);
  if (rhCA) {
    data[AUTH_CONFIGMAP_KEYS.requestHeaderCA] = rhCA;
    const lists: Array<[string, readonly string[]]> = [
      [AUTH_CONFIGMAP_KEYS.allowedNames, rh?.allowedNames ?? []],
      [AUTH_CONFIGMAP_KEYS.usernameHeaders, rh?.usernameHeaders ?? []],
      [AUTH_CONFIGMAP_KEYS.uidHeaders, rh?.uidHeaders ?? []],
      [AUTH_CONFIGMAP_KEYS.groupHeaders, rh?.groupHeaders ?? []],
      [AUTH_CONFIGMAP_KEYS.extraHeadersPrefix, rh?.extraHeadersPrefix ?? []],
    ];
    for (const [key, own] of lists) data[key] = JSON.stringify(union(parseList(existing[key]), own));
  }
  return data;
}

/** What kagg's loaded authentication (src/apiserver/authn/from-options.ts) publishes. */
export function authenticationInfoFrom(auth: {
  clientCAPem?: string;
  requestHeaderCAPem?: string;
  requestHeader?: { allowedNames: readonly string[]; usernameHeaders: readonly string[]; uidHeaders: readonly string[]; groupHeaders: readonly string[]; extraHeaderPrefixes: readonly string[] };
}): AuthenticationInfo {
  const rh = auth.requestHeader;
  return {
    clientCA: auth.clientCAPem ? Buffer.from(auth.clientCAPem) : undefined,
    requestHeader: rh && auth.requestHeaderCAPem
      ? { ca: Buffer.from(auth.requestHeaderCAPem), allowedNames: rh.allowedNames, usernameHeaders: rh.usernameHeaders, uidHeaders: rh.uidHeaders, groupHeaders: rh.groupHeaders, extraHeadersPrefix: rh.extraHeaderPrefixes }
      : undefined,
  };
}

export interface AuthConfigMapOptions {
  store: Store;
  etcdPrefix?: string;
  /** Read at every sync, so reloaded CA files are published. */
  info: () => AuthenticationInfo;
  resyncMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface AuthConfigMapPublisher {
  sync(): Promise<void>;
  start(signal: AbortSignal): void;
}

export function createAuthConfigMapPublisher(opts: AuthConfigMapOptions): AuthConfigMapPublisher {
  const prefix = opts.etcdPrefix ?? DEFAULT_ETCD_PREFIX;
  const now = opts.now ?? (() => new Date());
  const key = objectKey(prefix, { group: '', resource: 'configmaps' }, AUTH_CONFIGMAP.namespace, AUTH_CONFIGMAP.name);
  const nsKey = objectKey(prefix, { group: '', resource: 'namespaces' }, '', AUTH_CONFIGMAP.namespace);

  async function ensureNamespace(): Promise<void> {
    try {
      await opts.store.get(nsKey);
    } catch (err) {
      if (!isStorageError(err, 'NotFound')) throw err;
      await opts.store
        .create(nsKey, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: AUTH_CONFIGMAP.namespace, uid: randomUUID(), creationTimestamp: rfc3339(now()) }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })
        .catch((e: unknown) => {
          if (!isStorageError(e, 'AlreadyExists')) throw e;
        });
    }
  }

  async function sync(): Promise<void> {
    await ensureNamespace();
    const own = opts.info();
    await opts.store.guaranteedUpdate(
      key,
      (current: StoredObject | undefined) => {
        const existing = ((current?.data as Record<string, string> | undefined) ?? {});
        const data = mergeAuthenticationData(existing, own, now());
        if (current && isDeepStrictEqual(data, existing)) return undefined;
        const metadata = current?.metadata ?? { name: AUTH_CONFIGMAP.name, namespace: AUTH_CONFIGMAP.namespace, uid: randomUUID(), creationTimestamp: rfc3339(now()) };
        return { apiVersion: 'v1', kind: 'ConfigMap', ...current, metadata, data };
      },
      { ignoreNotFound: true },
    );
  }

  return {
    sync,
    start(signal) {
      const run = () => sync().catch((err: unknown) => opts.log?.(`publishing ${AUTH_CONFIGMAP.namespace}/${AUTH_CONFIGMAP.name} failed: ${err instanceof Error ? err.message : String(err)}`));
      void run();
      const timer = setInterval(run, opts.resyncMs ?? 60_000);
      timer.unref();
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    },
  };
}
