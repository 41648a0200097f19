// `kagg serve` options, with kube-apiserver's own flag names. Parsing is table-driven so the
// seed manifest's whole command line starts kagg: flags kagg does not use are accepted with
// a one-line warning (KUBE_APISERVER_IGNORED), unknown ones are an error.
import { join } from 'node:path';

type FlagKind = 'string' | 'list' | 'repeat' | 'bool' | 'int';

/** The flags kagg acts on. `list` takes comma lists and repetition; `repeat` only repetition. */
export const SERVE_FLAGS = {
  'secure-port': 'int',
  'bind-address': 'string',
  'tls-cert-file': 'string',
  'tls-private-key-file': 'string',
  'client-ca-file': 'string',
  'token-auth-file': 'string',
  'service-account-key-file': 'repeat',
  'service-account-signing-key-file': 'string',
  'service-account-issuer': 'repeat',
  'service-account-lookup': 'bool',
  'service-account-max-token-expiration': 'string',
  'api-audiences': 'list',
  'authorization-mode': 'list',
  'anonymous-auth': 'bool',
  'requestheader-client-ca-file': 'string',
  'requestheader-allowed-names': 'list',
  'requestheader-username-headers': 'list',
  'requestheader-group-headers': 'list',
  'requestheader-extra-headers-prefix': 'list',
  'requestheader-uid-headers': 'list',
  'proxy-client-cert-file': 'string',
  'proxy-client-key-file': 'string',
  'enable-aggregator-routing': 'bool',
  'etcd-servers': 'list',
  'etcd-cafile': 'string',
  'etcd-certfile': 'string',
  'etcd-keyfile': 'string',
  'etcd-prefix': 'string',
  'storage': 'string',
  'data-dir': 'string',
  'request-timeout': 'string',
  'max-request-body-bytes': 'int',
  'cert-dir': 'string',
  'workers': 'int',
  'help': 'bool',
} as const satisfies Record<string, FlagKind>;

/** kube-apiserver flags kagg accepts and ignores (a warning each). Value-less forms are booleans. */
export const KUBE_APISERVER_IGNORED: Readonly<Record<string, FlagKind>> = {
  'advertise-address': 'string', 'allow-privileged': 'bool', 'enable-admission-plugins': 'list',
  'disable-admission-plugins': 'list', 'enable-bootstrap-token-auth': 'bool', 'insecure-port': 'int',
  'insecure-bind-address': 'string', 'kubelet-client-certificate': 'string', 'kubelet-client-key': 'string',
  'kubelet-certificate-authority': 'string', 'kubelet-preferred-address-types': 'list',
  'service-cluster-ip-range': 'string', 'service-node-port-range': 'string', 'apiserver-count': 'int',
  'audit-log-path': 'string', 'audit-log-maxage': 'int', 'audit-log-maxbackup': 'int', 'audit-log-maxsize': 'int',
  'audit-policy-file': 'string', 'authorization-policy-file': 'string', 'authorization-config': 'string',
  'authentication-config': 'string', 'authorization-webhook-config-file': 'string',
  'authentication-token-webhook-config-file': 'string', 'cloud-provider': 'string', 'cloud-config': 'string',
  'encryption-provider-config': 'string', 'endpoint-reconciler-type': 'string', 'event-ttl': 'string',
  'feature-gates': 'list', 'profiling': 'bool', 'runtime-config': 'list', 'storage-backend': 'string',
  'storage-media-type': 'string', 'watch-cache': 'bool', 'v': 'int', 'logtostderr': 'bool',
  'oidc-issuer-url': 'string', 'oidc-client-id': 'string', 'oidc-username-claim': 'string',
  'oidc-groups-claim': 'string', 'oidc-ca-file': 'string', 'tls-cipher-suites': 'list',
  'tls-min-version': 'string', 'kubelet-https': 'bool', 'kubelet-timeout': 'string', 'max-requests-inflight': 'int',
  'max-mutating-requests-inflight': 'int', 'min-request-timeout': 'int', 'default-not-ready-toleration-seconds': 'int',
  'default-unreachable-toleration-seconds': 'int', 'service-account-jwks-uri': 'string',
  'service-account-extend-token-expiration': 'bool', 'enable-priority-and-fairness': 'bool',
  'etcd-compaction-interval': 'string', 'etcd-count-metric-poll-period': 'string', 'goaway-chance': 'string',
  'livez-grace-period': 'string', 'shutdown-delay-duration': 'string',
  'external-hostname': 'string', 'permit-port-sharing': 'bool', 'aggregator-reject-forwarding-redirect': 'bool',
  'enable-logs-handler': 'bool', 'token-auth-file-reload': 'bool', 'kubernetes-service-node-port': 'int',
  'egress-selector-config-file': 'string', 'admission-control-config-file': 'string', 'admission-control': 'list',
  'watch-cache-sizes': 'list', 'default-watch-cache-size': 'int', 'delete-collection-workers': 'int',
  'enable-garbage-collector': 'bool', 'audit-webhook-config-file': 'string', 'audit-log-format': 'string',
  'audit-log-mode': 'string', 'tls-sni-cert-key': 'list', 'service-account-signing-endpoint': 'string',
  'authentication-token-webhook-cache-ttl': 'string', 'authorization-webhook-cache-authorized-ttl': 'string',
  'authorization-webhook-cache-unauthorized-ttl': 'string', 'strict-transport-security-directives': 'list',
  'cors-allowed-origins': 'list', 'etcd-servers-overrides': 'list', 'shutdown-send-retry-after': 'bool',
  'vmodule': 'list', 'log-flush-frequency': 'string', 'logging-format': 'string', 'oidc-username-prefix': 'string',
  'oidc-groups-prefix': 'string', 'oidc-required-claim': 'list', 'oidc-signing-algs': 'list',
  'kubelet-read-only-port': 'int', 'kubelet-port': 'int',
  'max-connection-bytes-per-sec': 'int', 'enable-swagger-ui': 'bool',
};

export type AuthorizationMode = 'RBAC' | 'AlwaysAllow' | 'AlwaysDeny';
const KNOWN_MODES: readonly string[] = ['RBAC', 'AlwaysAllow', 'AlwaysDeny'];

export type StorageOptions =
  | { type: 'memory' }
  | { type: 'sqlite'; path: string }
  | { type: 'etcd'; endpoints: string[]; prefix?: string; tls?: { ca?: string; cert?: string; key?: string } };

export interface RequestHeaderOptions {
  clientCAFile: string;
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

export interface ServeOptions {
  securePort: number;
  bindAddress: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCAFile?: string;
  tokenAuthFile?: string;
  serviceAccountKeyFiles: string[];
  serviceAccountSigningKeyFile?: string;
  serviceAccountIssuers: string[];
  serviceAccountLookup: boolean;
  /** --service-account-max-token-expiration in seconds; 0: no cap. */
  serviceAccountMaxTokenExpirationSeconds: number;
  /** --api-audiences, defaulting to the issuers (as kube-apiserver does). */
  apiAudiences: string[];
  authorizationModes: AuthorizationMode[];
  anonymousAuth: boolean;
  requestHeader?: RequestHeaderOptions;
  proxyClientCertFile?: string;
  proxyClientKeyFile?: string;
  enableAggregatorRouting: boolean;
  storage: StorageOptions;
  etcdPrefix: string;
  dataDir: string;
  requestTimeoutMs: number;
  maxRequestBodyBytes: number;
  /** kagg's control-plane PKI (kubeadm layout), shown read-only by the console. */
  certDir?: string;
  /** Processes serving the port (node:cluster); more than 1 needs shared storage. */
  workers: number;
  help: boolean;
}

export type RawFlags = Record<string, string[]>;

export interface ParsedArgs {
  flags: RawFlags;
  warnings: string[];
}

/** Thrown for a bad flag or value; the CLI turns it into one line. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

function kindOf(name: string): FlagKind | undefined {
  return (SERVE_FLAGS as Record<string, FlagKind>)[name] ?? KUBE_APISERVER_IGNORED[name];
}

/** Splits `--name=value` / `--name value` pairs; flags kagg ignores become warnings. */
export function parseServeArgs(args: readonly string[]): ParsedArgs {
  const flags: RawFlags = {};
  const warnings: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h') {
      flags.help = ['true'];
      continue;
    }
    if (!arg.startsWith('--')) throw new OptionsError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value = eq < 0 ? undefined : arg.slice(eq + 1);
    const kind = kindOf(name);
    if (!kind) throw new OptionsError(`unknown flag: --${name}`);
    if (value === undefined) {
      if (kind === 'bool') value = 'true';
      else if (i + 1 < args.length) value = args[++i];
      else throw new OptionsError(`flag needs an argument: --${name}`);
    }
    if (!(name in SERVE_FLAGS)) {
      warnings.push(`flag --${name} is accepted for kube-apiserver compatibility and ignored`);
      continue;
    }
    (flags[name] ??= []).push(value);
  }
  return { flags, warnings };
}

function last(flags: RawFlags, name: string): string | undefined {
  const v = flags[name];
  return v && v.length > 0 ? v[v.length - 1] : undefined;
}

function list(flags: RawFlags, name: string): string[] | undefined {
  const v = flags[name];
  if (!v) return undefined;
  const kind = kindOf(name);
  return kind === 'list' ? v.flatMap((s) => (s === '' ? [] : s.split(','))).map((s) => s.trim()) : v;
}

function bool(flags: RawFlags, name: string, dflt: boolean): boolean {
  const v = last(flags, name);
  if (v === undefined) return dflt;
  if (/^(true|1|t)$/i.test(v)) return true;
  if (/^(false|0|f)$/i.test(v)) return false;
  throw new OptionsError(`invalid argument "${v}" for "--${name}" flag: expected true or false`);
}

function int(flags: RawFlags, name: string, dflt: number): number {
  const v = last(flags, name);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new OptionsError(`invalid argument "${v}" for "--${name}" flag: expected an integer`);
  return Number(v);
}

/** Go-style durations as kube-apiserver takes them: `60s`, `1m`, `1m30s`, `500ms`. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== text.length) throw new OptionsError(`invalid duration "${text}"`);
  return total;
}

function checkHeaderList(name: string, values: string[]): string[] {
  if (values.some((v) => v.trim() === '')) throw new OptionsError(`empty value in "--${name}"`);
  return values;
}

export interface ResolveContext {
  /** Where a relative default sqlite file goes when --data-dir is not given. */
  cwd: string;
  warn?: (line: string) => void;
}

/** Flags → the resolved, read-only options `kagg serve` runs with. */
export function resolveOptions(flags: RawFlags, ctx: ResolveContext): Readonly<ServeOptions> {
  const warn = ctx.warn ?? (() => {});
  const modes: AuthorizationMode[] = [];
  for (const m of list(flags, 'authorization-mode') ?? ['AlwaysAllow']) {
    if (KNOWN_MODES.includes(m)) modes.push(m as AuthorizationMode);
    else warn(`authorization mode "${m}" is not supported by kagg and is ignored`);
  }
  if (modes.length === 0) throw new OptionsError(`--authorization-mode: no supported mode among "${(list(flags, 'authorization-mode') ?? []).join(',')}" (supported: ${KNOWN_MODES.join(', ')})`);

  const issuers = list(flags, 'service-account-issuer') ?? [];
  const dataDir = last(flags, 'data-dir') ?? ctx.cwd;
  const etcdServers = list(flags, 'etcd-servers') ?? [];
  const etcdPrefix = last(flags, 'etcd-prefix') ?? '/registry';
  const storage = resolveStorage(last(flags, 'storage'), etcdServers, etcdPrefix, flags, dataDir);

  const rhCA = last(flags, 'requestheader-client-ca-file');
  let requestHeader: RequestHeaderOptions | undefined;
  if (rhCA) {
    requestHeader = {
      clientCAFile: rhCA,
      allowedNames: list(flags, 'requestheader-allowed-names') ?? [],
      usernameHeaders: checkHeaderList('requestheader-username-headers', list(flags, 'requestheader-username-headers') ?? []),
      uidHeaders: checkHeaderList('requestheader-uid-headers', list(flags, 'requestheader-uid-headers') ?? []),
      groupHeaders: checkHeaderList('requestheader-group-headers', list(flags, 'requestheader-group-headers') ?? []),
      extraHeaderPrefixes: checkHeaderList('requestheader-extra-headers-prefix', list(flags, 'requestheader-extra-headers-prefix') ?? []),
    };
    if (requestHeader.usernameHeaders.length === 0) warn('--requestheader-client-ca-file is set without --requestheader-username-headers: no front proxy can authenticate');
  }

  const keyFiles = list(flags, 'service-account-key-file') ?? [];
  const signing = last(flags, 'service-account-signing-key-file');
  const timeout = last(flags, 'request-timeout');
  const maxExpiration = last(flags, 'service-account-max-token-expiration');
  const workers = int(flags, 'workers', 1);
  if (workers < 1 || workers > MAX_WORKERS) throw new OptionsError(`--workers: ${workers} is not between 1 and ${MAX_WORKERS}`);
  if (workers > 1 && storage.type === 'memory') throw new OptionsError(`--workers ${workers} needs storage the workers share (--storage sqlite:PATH or etcd); memory storage lives in one process`);
  return Object.freeze({
    securePort: int(flags, 'secure-port', 6443),
    bindAddress: last(flags, 'bind-address') ?? '0.0.0.0',
    tlsCertFile: last(flags, 'tls-cert-file'),
    tlsPrivateKeyFile: last(flags, 'tls-private-key-file'),
    clientCAFile: last(flags, 'client-ca-file'),
    tokenAuthFile: last(flags, 'token-auth-file'),
    // kube-apiserver: the signing key's public half verifies too when no key file is given.
    serviceAccountKeyFiles: keyFiles.length === 0 && signing ? [signing] : keyFiles,
    serviceAccountSigningKeyFile: signing,
    serviceAccountIssuers: issuers,
    serviceAccountLookup: bool(flags, 'service-account-lookup', true),
    serviceAccountMaxTokenExpirationSeconds: maxExpiration ? Math.floor(parseDuration(maxExpiration) / 1000) : 0,
    apiAudiences: list(flags, 'api-audiences') ?? issuers,
    authorizationModes: modes,
    anonymousAuth: bool(flags, 'anonymous-auth', true),
    requestHeader,
    proxyClientCertFile: last(flags, 'proxy-client-cert-file'),
    proxyClientKeyFile: last(flags, 'proxy-client-key-file'),
    enableAggregatorRouting: bool(flags, 'enable-aggregator-routing', false),
    storage,
    etcdPrefix,
    dataDir,
    requestTimeoutMs: timeout ? parseDuration(timeout) : 60_000,
    maxRequestBodyBytes: int(flags, 'max-request-body-bytes', 3 * 1024 * 1024),
    certDir: last(flags, 'cert-dir'),
    workers,
    help: bool(flags, 'help', false),
  });
}

function resolveStorage(flag: string | undefined, endpoints: string[], prefix: string, flags: RawFlags, dataDir: string): StorageOptions {
  const etcd = (): StorageOptions => {
    if (endpoints.length === 0) throw new OptionsError('--storage etcd needs --etcd-servers');
    const ca = last(flags, 'etcd-cafile');
    const cert = last(flags, 'etcd-certfile');
    const key = last(flags, 'etcd-keyfile');
    return { type: 'etcd', endpoints, prefix, ...(ca || cert || key ? { tls: { ca, cert, key } } : {}) };
  };
  if (flag === undefined) return endpoints.length > 0 ? etcd() : { type: 'sqlite', path: join(dataDir, 'kagg.db') };
  if (flag === 'memory') return { type: 'memory' };
  if (flag === 'etcd') return etcd();
  if (flag === 'sqlite') return { type: 'sqlite', path: join(dataDir, 'kagg.db') };
  if (flag.startsWith('sqlite:')) return { type: 'sqlite', path: flag.slice('sqlite:'.length) };
  throw new OptionsError(`--storage: "${flag}" is not one of sqlite:PATH, etcd, memory`);
}

/** One line per flag kagg acts on, for `kagg serve --help`. */
const MAX_WORKERS = 64;

export function serveUsage(): string {
  const lines = Object.entries(SERVE_FLAGS).map(([name, kind]) => `  --${name}${kind === 'bool' ? '' : kind === 'int' ? ' int' : kind === 'string' ? ' string' : ' strings'}`);
  return `Usage: kagg serve [flags]\n\nServes the Kubernetes API with kube-apiserver's flag names. Other kube-apiserver flags are accepted and ignored with a warning.\n\nFlags:\n${lines.join('\n')}\n`;
}
