// Subject alternative names of the kubeadm tree (spec pki.md A.4), as pure functions.
// DNS names end up de-duplicated and sorted (byte order); IPs de-duplicated by text form,
// first seen first.
import { ipFamily } from '../ip.ts';

export interface AltNames {
  dns: string[];
  ips: string[];
}

export interface SanConfig {
  /** Lower-cased, trimmed node name (nodeName()). */
  nodeName: string;
  advertiseAddress: string;
  /** `--service-cidr`, possibly dual-stack (`10.96.0.0/12,fd00::/108`): only the first counts. */
  serviceCidr: string;
  dnsDomain: string;
  /** `--control-plane-endpoint`: `host` or `host:port`. */
  controlPlaneEndpoint?: string;
  /** `--apiserver-cert-extra-sans`. */
  apiserverCertSans?: readonly string[];
  /** `etcd.local.serverCertSANs` (library only; kubeadm has no flag either). */
  etcdServerCertSans?: readonly string[];
  etcdPeerCertSans?: readonly string[];
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_DNS_DOMAIN = 'cluster.local';

/** kubeadm's host-name helper: trimmed and lower-cased. */
export function normalizeNodeName(name: string): string {
  return name.trim().toLowerCase();
}

/** The text form Go prints for an IP (`::1`, `fd00::1`, `10.0.0.1`); undefined when `value` is not an IP. */
export function canonicalIp(value: string): string | undefined {
  const kind = ipFamily(value);
  if (kind === 4) return value;
  if (kind === 6) return ipv6ToText(ipToBigInt(value, 6));
  return undefined;
}

/**
 * The API server's service VIP: the first address after the network address of the
 * first CIDR in `serviceCidr` (`10.96.0.0/12` → `10.96.0.1`).
 */
export function firstServiceIp(serviceCidr: string): string {
  const first = serviceCidr.split(',')[0].trim();
  const m = /^([^/]+)\/(\d{1,3})$/.exec(first);
  const kind = m ? ipFamily(m[1]) : 0;
  const bits = kind === 4 ? 32 : 128;
  const prefix = m ? Number(m[2]) : -1;
  if (!m || kind === 0 || prefix > bits) throw new Error(`invalid service CIDR "${first}": expected ADDRESS/PREFIX such as 10.96.0.0/12`);
  const size = 1n << BigInt(bits - prefix);
  if (size < 2n) throw new Error(`invalid service CIDR "${first}": the range has no room for the API server's service IP`);
  const network = ipToBigInt(m[1], kind) & ~(size - 1n);
  const ip = network + 1n;
  return kind === 4 ? ipv4ToText(ip) : ipv6ToText(ip);
}

/** RFC 1123 subdomain, as Kubernetes' IsDNS1123Subdomain (lower case, ≤ 253 characters). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value);
}

/** `*.example.com` (IsWildcardDNS1123Subdomain). */
export function isWildcardDns1123Subdomain(value: string): boolean {
  return value.startsWith('*.') && isDns1123Subdomain(value.slice(2));
}

/** The host of `host` or `host:port` / `[v6]:port`; throws on anything else (kubeadm ParseHostPort). */
export function controlPlaneEndpointHost(endpoint: string): string {
  let host = endpoint;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(endpoint);
  if (bracket) {
    host = bracket[1];
    port = bracket[2];
  } else if (ipFamily(endpoint) !== 6) {
    const i = endpoint.lastIndexOf(':');
    if (i >= 0) {
      host = endpoint.slice(0, i);
      port = endpoint.slice(i + 1);
    }
  }
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new Error(`invalid control-plane endpoint "${endpoint}": port must be a number between 1 and 65535`);
  }
  if (!canonicalIp(host) && !isDns1123Subdomain(host)) {
    throw new Error(`invalid control-plane endpoint "${endpoint}": expected HOST or HOST:PORT with an IP address or a DNS name`);
  }
  return host;
}

export interface ClassifiedSans extends AltNames {
  /** Entries that are neither an IP nor a (wildcard) DNS subdomain, each with kubeadm's warning. */
  dropped: { value: string; warning: string }[];
}

/** Sorts extra SANs into IPs and DNS names like kubeadm's appendSANsToAltNames. */
export function classifyExtraSans(values: readonly string[], certName: string): ClassifiedSans {
  const out: ClassifiedSans = { dns: [], ips: [], dropped: [] };
  for (const raw of values) {
    const value = raw.trim();
    if (value === '') continue;
    const ip = canonicalIp(value);
    if (ip) out.ips.push(ip);
    else if (isDns1123Subdomain(value) || isWildcardDns1123Subdomain(value)) out.dns.push(value);
    else out.dropped.push({ value, warning: `[certificates] WARNING: '${value}' was not added to the '${certName}' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry` });
  }
  return out;
}

/** DNS: de-duplicated and sorted by bytes; IPs: de-duplicated by text, first seen first. */
export function dedupeAltNames(names: AltNames): AltNames {
  const dns = [...new Set(names.dns)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const ips: string[] = [];
  for (const ip of names.ips) {
    const text = canonicalIp(ip) ?? ip;
    if (!ips.includes(text)) ips.push(text);
  }
  return { dns, ips };
}

export interface SanResult extends AltNames {
  warnings: string[];
}

/** A.4.1: the serving certificate of the API server. */
export function apiserverAltNames(config: SanConfig): SanResult {
  const dns = [
    config.nodeName,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${config.dnsDomain}`,
  ];
  const ips = [firstServiceIp(config.serviceCidr), requireIp(config.advertiseAddress, 'advertise address')];
  if (config.controlPlaneEndpoint) {
    const host = controlPlaneEndpointHost(config.controlPlaneEndpoint);
    const ip = canonicalIp(host);
    if (ip) ips.push(ip);
    else dns.push(host);
  }
  const extra = classifyExtraSans(config.apiserverCertSans ?? [], 'apiserver');
  return { ...dedupeAltNames({ dns: [...dns, ...extra.dns], ips: [...ips, ...extra.ips] }), warnings: extra.dropped.map((d) => d.warning) };
}

/** A.4.2: etcd serving (`etcd-server`) and peer (`etcd-peer`) certificates. */
export function etcdAltNames(config: SanConfig, which: 'etcd-server' | 'etcd-peer'): SanResult {
  const extras = which === 'etcd-server' ? config.etcdServerCertSans : config.etcdPeerCertSans;
  const extra = classifyExtraSans(extras ?? [], which);
  const dns = [config.nodeName, 'localhost', ...extra.dns];
  const ips = [requireIp(config.advertiseAddress, 'advertise address'), '127.0.0.1', '::1', ...extra.ips];
  return { ...dedupeAltNames({ dns, ips }), warnings: extra.dropped.map((d) => d.warning) };
}

function requireIp(value: string, what: string): string {
  const ip = canonicalIp(value);
  if (!ip) throw new Error(`invalid ${what} "${value}": not an IP address`);
  return ip;
}

function ipToBigInt(text: string, kind: number): bigint {
  if (kind === 4) return text.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  let value = text;
  // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (v4) {
    const n = ipToBigInt(v4[1], 4);
    value = value.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = value.includes('::') ? value.split('::') : [value, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function ipv4ToText(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

// RFC 5952 text, as Go prints it: lower case, longest run (≥ 2) of zero groups as `::`.
// IPv4-mapped addresses (::ffff:a.b.c.d) print in dotted form, like Go.
function ipv6ToText(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt((7 - i) * 16)) & 0xffffn));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4ToText(n & 0xffffffffn);
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
