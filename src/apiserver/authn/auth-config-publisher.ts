// Publishes kube-system/extension-apiserver-authentication (aggregation.md §6.2, upstream's
// cluster_authentication_trust_controller): the union of what is already there and this
// server's client CA and requestheader settings, with expired CA certificates dropped. Runs
// at start and every minute; writes only when the data changed.
import { randomUUID, X509Certificate } from 'node:crypto';
import type { Store, StoredObject } from '../../storage/interface.ts';
import { objectKey } from '../registry/keys.ts';

export const AUTH_CONFIGMAP = { namespace: 'kube-system', name: 'extension-apiserver-authentication' } as const;

export interface OwnRequestHeaderConfig {
  caPem: string;
  allowedNames: readonly string[];
  usernameHeaders: readonly string[];
  uidHeaders: readonly string[];
  groupHeaders: readonly string[];
  extraHeaderPrefixes: readonly string[];
}

export interface OwnAuthConfig {
  clientCAPem?: string;
  requestHeader?: OwnRequestHeaderConfig;
}

const LIST_KEYS = {
  allowedNames: 'requestheader-allowed-names',
  usernameHeaders: 'requestheader-username-headers',
  uidHeaders: 'requestheader-uid-headers',
  groupHeaders: 'requestheader-group-headers',
  extraHeaderPrefixes: 'requestheader-extra-headers-prefix',
} as const;

const EXPIRED_GRACE_MS = 5 * 60_000;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function parseList(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const v: unknown = JSON.parse(value);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** Certificates of both bundles, expired (by more than 5 minutes) and duplicate ones dropped. */
export function combineCABundles(bundles: readonly string[], now: Date): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const bundle of bundles) {
    for (const pem of bundle.match(PEM_CERT) ?? []) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem);
      } catch {
        continue;
      }
      if (new Date(cert.validTo).getTime() < now.getTime() - EXPIRED_GRACE_MS) continue;
      if (seen.has(cert.fingerprint256)) continue;
      seen.add(cert.fingerprint256);
      out.push(`${cert.toString().trim()}\n`);
    }
  }
  return out.join('');
}

/** The ConfigMap data to publish, from the existing data and this server's own. Pure. */
export function mergeAuthConfigData(existing: Record<string, string>, own: OwnAuthConfig, now: Date): Record<string, string> {
  const data: Record<string, string> = {};
  const clientCA = combineCABundles([existing['client-ca-file'] ?? '', own.clientCAPem ?? ''], now);
  if (clientCA) data['client-ca-file'] = clientCA;
  const rhCA = combineCABundles([existing['requestheader-client-ca-file'] ?? '', own.requestHeader?.caPem ?? ''], now);
  if (rhCA) {
    data['requestheader-client-ca-file'] = rhCA;
    for (const [field, key] of Object.entries(LIST_KEYS) as [keyof typeof LIST_KEYS, string][]) {
      data[key] = JSON.stringify(union(parseList(existing[key]), own.requestHeader?.[field] ?? []));
    }
  }
  return data;
}

function sameData(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

export type SyncOutcome = 'created' | 'updated' | 'unchanged';

export async function syncAuthConfigMap(store: Store, etcdPrefix: string, own: OwnAuthConfig, options: { now?: () => Date; newUid?: () => string } = {}): Promise<SyncOutcome> {
  const now = options.now ?? (() => new Date());
  const key = objectKey(etcdPrefix, { group: '', resource: 'configmaps' }, AUTH_CONFIGMAP.namespace, AUTH_CONFIGMAP.name);
  let outcome: SyncOutcome = 'unchanged';
  await store.guaranteedUpdate(key, (current) => {
    const existing = ((current?.data ?? {}) as Record<string, string>) ?? {};
    const data = mergeAuthConfigData(existing, own, now());
    if (current && sameData(existing, data)) {
      outcome = 'unchanged';
      return undefined;
    }
    outcome = current ? 'updated' : 'created';
    const metadata = current
      ? { ...current.metadata }
      : { name: AUTH_CONFIGMAP.name, namespace: AUTH_CONFIGMAP.namespace, uid: (options.newUid ?? randomUUID)(), creationTimestamp: now().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const next: StoredObject = { apiVersion: 'v1', kind: 'ConfigMap', ...(current ?? {}), metadata, data };
    return next;
  }, { ignoreNotFound: true });
  return outcome;
}

export interface PublisherOptions {
  store: Store;
  etcdPrefix: string;
  own: OwnAuthConfig;
  signal: AbortSignal;
  intervalMs?: number;
  log?: (line: string) => void;
}

/** Syncs once (awaited), then every interval until the signal aborts. */
export async function startAuthConfigPublisher(o: PublisherOptions): Promise<void> {
  const log = o.log ?? (() => {});
  const sync = async () => {
    try {
      const outcome = await syncAuthConfigMap(o.store, o.etcdPrefix, o.own);
      if (outcome !== 'unchanged') log(`kagg: ${outcome} configmap ${AUTH_CONFIGMAP.namespace}/${AUTH_CONFIGMAP.name}`);
    } catch (err) {
      log(`kagg: publishing ${AUTH_CONFIGMAP.namespace}/${AUTH_CONFIGMAP.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  await sync();
  const timer = setInterval(() => void sync(), o.intervalMs ?? 60_000);
  timer.unref();
  o.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
