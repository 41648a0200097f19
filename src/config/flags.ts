// kube-apiserver command-line flags as data: the aggregation flags (spec aggregation.md §7.1),
// a scanner that finds every occurrence of a flag in an argument list (`--f=v`, `--f v`,
// bare `--f`), and a planner that turns "these flags should have these values" into edits
// of that list. Deployment formats (manifest, systemd unit, env file) only apply the edits.

/** The seven flags `enable-aggregation` sets, in the order they are appended. */
export const AGGREGATION_FLAGS = {
  requestheaderClientCaFile: '--requestheader-client-ca-file',
  requestheaderAllowedNames: '--requestheader-allowed-names',
  requestheaderExtraHeadersPrefix: '--requestheader-extra-headers-prefix',
  requestheaderGroupHeaders: '--requestheader-group-headers',
  requestheaderUsernameHeaders: '--requestheader-username-headers',
  proxyClientCertFile: '--proxy-client-cert-file',
  proxyClientKeyFile: '--proxy-client-key-file',
} as const;

/** Other kube-apiserver flags the doctor reads. */
export const APISERVER_FLAGS = {
  requestheaderUidHeaders: '--requestheader-uid-headers',
  enableAggregatorRouting: '--enable-aggregator-routing',
  clientCaFile: '--client-ca-file',
  tlsCertFile: '--tls-cert-file',
  tlsPrivateKeyFile: '--tls-private-key-file',
  advertiseAddress: '--advertise-address',
  bindAddress: '--bind-address',
  serviceClusterIpRange: '--service-cluster-ip-range',
} as const;

/** The header names the aggregator always sends (§7.2.1). */
export const STANDARD_HEADERS = {
  username: 'X-Remote-User',
  group: 'X-Remote-Group',
  extraPrefix: 'X-Remote-Extra-',
  uid: 'X-Remote-Uid',
} as const;

/** kube-apiserver flags that are booleans: a following bare word is not their value. */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  '--enable-aggregator-routing',
  '--allow-privileged',
  '--enable-bootstrap-token-auth',
  '--anonymous-auth',
  '--authentication-skip-lookup',
  '--aggregator-reject-forwarding-redirect',
  '--profiling',
  '--enable-swagger-ui',
  '--enable-garbage-collector',
  '--enable-priority-and-fairness',
  '--service-account-lookup',
  '--kubelet-https',
  '--insecure-skip-tls-verify',
]);

export type RequestheaderCa = 'front-proxy' | 'aggregator';

/** File names inside a cert dir for each requestheader layout (kubeadm; the seed article). */
export const CERT_LAYOUTS = {
  'front-proxy': { ca: 'front-proxy-ca.crt', cert: 'front-proxy-client.crt', key: 'front-proxy-client.key' },
  aggregator: { ca: 'aggregator-ca.pem', cert: 'aggregator.pem', key: 'aggregator-key.pem' },
} as const satisfies Record<RequestheaderCa, { ca: string; cert: string; key: string }>;

export interface FlagOccurrence {
  name: string;
  /** undefined for a bare boolean flag. */
  value: string | undefined;
  /** Index of the `--name` (or `--name=value`) argument. */
  index: number;
  /** Index of the separate value argument (form `separate`). */
  valueIndex?: number;
  form: 'equals' | 'separate' | 'bare';
}

/** Every flag occurrence in `args`, in order. Non-flag words that are not a value are skipped. */
export function scanFlags(args: readonly string[]): FlagOccurrence[] {
  const out: FlagOccurrence[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-' || arg === '--') continue;
    const name = normalizeName(arg);
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      out.push({ name: normalizeName(arg.slice(0, eq)), value: arg.slice(eq + 1), index: i, form: 'equals' });
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('-') && !BOOLEAN_FLAGS.has(name)) {
      out.push({ name, value: next, index: i, valueIndex: i + 1, form: 'separate' });
      i++;
      continue;
    }
    out.push({ name, value: undefined, index: i, form: 'bare' });
  }
  return out;
}

/** `-v` stays, `-flag` (Go's single-dash long form) becomes `--flag`. */
function normalizeName(raw: string): string {
  if (raw.startsWith('--')) return raw;
  return raw.length > 2 ? `-${raw}` : raw;
}

/** The parsed view of an argument list: every value given for each flag, in order. */
export class ApiserverFlags {
  readonly #values = new Map<string, (string | undefined)[]>();

  constructor(readonly args: readonly string[]) {
    for (const occ of scanFlags(args)) {
      const list = this.#values.get(occ.name) ?? [];
      list.push(occ.value);
      this.#values.set(occ.name, list);
    }
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The effective value of a scalar flag (the last occurrence wins, like pflag). */
  get(name: string): string | undefined {
    const list = this.#values.get(name);
    return list ? (list[list.length - 1] ?? '') : undefined;
  }

  /** A string-slice flag: comma-separated and repeatable; empty entries dropped. undefined if unset. */
  list(name: string): string[] | undefined {
    const list = this.#values.get(name);
    if (!list) return undefined;
    return list.flatMap((v) => (v ?? '').split(',')).map((s) => s.trim()).filter((s) => s !== '');
  }

  /** A boolean flag: bare or `=true` means true. */
  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    return v === '' || v.toLowerCase() === 'true' || v === '1';
  }
}

export type ArgEdit =
  | { kind: 'replace'; index: number; text: string }
  | { kind: 'remove'; index: number }
  | { kind: 'append'; text: string };

/**
 * Edits that make each `[name, value]` of `desired` hold exactly once in `args`: the first
 * occurrence keeps its form (`--f=v` or `--f v`) and only its value changes; later
 * duplicates are removed; missing flags are appended as `--f=v`. No edit when already set.
 */
export function planFlagEdits(args: readonly string[], desired: ReadonlyArray<readonly [string, string]>): ArgEdit[] {
  const occurrences = scanFlags(args);
  const edits: ArgEdit[] = [];
  for (const [name, value] of desired) {
    const found = occurrences.filter((o) => o.name === name);
    if (found.length === 0) {
      edits.push({ kind: 'append', text: `${name}=${value}` });
      continue;
    }
    const [first, ...rest] = found;
    if (first.form === 'separate' && first.valueIndex !== undefined) {
      if (first.value !== value) edits.push({ kind: 'replace', index: first.valueIndex, text: value });
    } else if (first.form === 'bare') {
      if (!(BOOLEAN_FLAGS.has(name) && value === 'true')) edits.push({ kind: 'replace', index: first.index, text: `${name}=${value}` });
    } else if (first.value !== value || args[first.index] !== `${name}=${value}`) {
      edits.push({ kind: 'replace', index: first.index, text: `${name}=${value}` });
    }
    for (const dup of rest) {
      edits.push({ kind: 'remove', index: dup.index });
      if (dup.valueIndex !== undefined) edits.push({ kind: 'remove', index: dup.valueIndex });
    }
  }
  return edits;
}

/** Applies edits to a plain array (the reference semantics every format must match). */
export function applyArgEdits(args: readonly string[], edits: readonly ArgEdit[]): string[] {
  const out: (string | undefined)[] = [...args];
  const appended: string[] = [];
  for (const e of edits) {
    if (e.kind === 'replace') out[e.index] = e.text;
    else if (e.kind === 'remove') out[e.index] = undefined;
    else appended.push(e.text);
  }
  return [...out.filter((a): a is string => a !== undefined), ...appended];
}

/** The seven flag values for a cert dir as the API server sees it. */
export function aggregationFlagValues(certPath: string, layout: RequestheaderCa, clientCn: string): Array<readonly [string, string]> {
  const files = CERT_LAYOUTS[layout];
  const at = (file: string) => `${certPath.replace(/\/+$/, '')}/${file}`;
  return [
    [AGGREGATION_FLAGS.requestheaderClientCaFile, at(files.ca)],
    [AGGREGATION_FLAGS.requestheaderAllowedNames, clientCn],
    [AGGREGATION_FLAGS.requestheaderExtraHeadersPrefix, STANDARD_HEADERS.extraPrefix],
    [AGGREGATION_FLAGS.requestheaderGroupHeaders, STANDARD_HEADERS.group],
    [AGGREGATION_FLAGS.requestheaderUsernameHeaders, STANDARD_HEADERS.username],
    [AGGREGATION_FLAGS.proxyClientCertFile, at(files.cert)],
    [AGGREGATION_FLAGS.proxyClientKeyFile, at(files.key)],
  ];
}
