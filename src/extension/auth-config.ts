// What `kube-system/extension-apiserver-authentication` says (aggregation.md §6.1), parsed:
// the client CA and the requestheader settings. A key that is not a JSON string array is
// an error (the previous snapshot stays); a missing key is an empty list, never a flag
// default (§5.2 item 2).
import { AUTH_CONFIGMAP, AUTH_CONFIGMAP_KEYS } from '../apiserver/authn/auth-configmap.ts';
import { parseCertPool, type CertPool } from '../apiserver/authn/cert-pool.ts';

export { AUTH_CONFIGMAP_KEYS };
export const AUTH_CONFIGMAP_NAMESPACE = AUTH_CONFIGMAP.namespace;
export const AUTH_CONFIGMAP_NAME = AUTH_CONFIGMAP.name;

export interface RequestHeaderSettings {
  /** PEM bundle; '' when the ConfigMap has none (the authenticator then has no opinion). */
  caPem: string;
  pool: CertPool;
  allowedNames: readonly string[];
  usernameHeaders: readonly string[];
  uidHeaders: readonly string[];
  groupHeaders: readonly string[];
  extraHeaderPrefixes: readonly string[];
}

export interface AuthenticationSnapshot {
  /** PEM bundle of `client-ca-file`; '' when absent. */
  clientCAPem: string;
  clientCAPool: CertPool;
  requestHeader: RequestHeaderSettings;
}

export const EMPTY_SNAPSHOT: AuthenticationSnapshot = Object.freeze({
  clientCAPem: '',
  clientCAPool: [],
  requestHeader: Object.freeze({ caPem: '', pool: [], allowedNames: [], usernameHeaders: [], uidHeaders: [], groupHeaders: [], extraHeaderPrefixes: [] }),
});

function stringList(data: Record<string, string>, key: string): string[] {
  const raw = data[key];
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`configmap ${AUTH_CONFIGMAP_NAMESPACE}/${AUTH_CONFIGMAP_NAME} key ${key}: not a JSON string array: ${JSON.stringify(raw)}`, { cause: err });
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
    throw new Error(`configmap ${AUTH_CONFIGMAP_NAMESPACE}/${AUTH_CONFIGMAP_NAME} key ${key}: not a JSON string array: ${JSON.stringify(raw)}`);
  }
  return parsed;
}

function pool(pem: string, key: string): CertPool {
  return pem.trim() === '' ? [] : parseCertPool(pem, `configmap ${AUTH_CONFIGMAP_NAMESPACE}/${AUTH_CONFIGMAP_NAME} key ${key}`);
}

/** Parses the ConfigMap's `data`; throws naming the key on malformed content. Pure. */
export function parseAuthenticationConfigMap(data: Record<string, string> | undefined): AuthenticationSnapshot {
  const d = data ?? {};
  const clientCAPem = d[AUTH_CONFIGMAP_KEYS.clientCA] ?? '';
  const caPem = d[AUTH_CONFIGMAP_KEYS.requestHeaderCA] ?? '';
  return {
    clientCAPem,
    clientCAPool: pool(clientCAPem, AUTH_CONFIGMAP_KEYS.clientCA),
    requestHeader: {
      caPem,
      pool: pool(caPem, AUTH_CONFIGMAP_KEYS.requestHeaderCA),
      allowedNames: stringList(d, AUTH_CONFIGMAP_KEYS.allowedNames),
      usernameHeaders: stringList(d, AUTH_CONFIGMAP_KEYS.usernameHeaders),
      uidHeaders: stringList(d, AUTH_CONFIGMAP_KEYS.uidHeaders),
      groupHeaders: stringList(d, AUTH_CONFIGMAP_KEYS.groupHeaders),
      extraHeaderPrefixes: stringList(d, AUTH_CONFIGMAP_KEYS.extraHeadersPrefix),
    },
  };
}
