// Subject alternative names: the four kinds kagg writes, and cfssl's way of sorting a
// `hosts` list into them.
import { isIP } from 'node:net';
import { PkiError } from './errors.ts';

export interface SubjectAltNames {
  dns?: string[];
  ip?: string[];
  email?: string[];
  uri?: string[];
}

export function isEmptySans(sans: SubjectAltNames | undefined): boolean {
  return !sans || ['dns', 'ip', 'email', 'uri'].every((k) => (sans[k as keyof SubjectAltNames]?.length ?? 0) === 0);
}

const DNS_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/** A DNS name as certificates carry it: labels of letters, digits, `-`, `_`; `*.` allowed first. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = (name.startsWith('*.') ? name.slice(2) : name).replace(/\.$/, '').split('.');
  return labels.every((l) => DNS_LABEL.test(l));
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/;

/**
 * Sorts hosts like cfssl: an IP address → IP SAN, an e-mail address → e-mail SAN, a URI
 * with a scheme (`spiffe://…`) → URI SAN (cfssl ≥ 1.3; the Debian 1.2 build writes it as a
 * DNS name), a DNS name → DNS SAN. Anything else is a PkiError naming the host.
 */
export function classifyHosts(hosts: readonly string[]): SubjectAltNames {
  const sans: Required<SubjectAltNames> = { dns: [], ip: [], email: [], uri: [] };
  for (const host of hosts) {
    if (isIP(host)) sans.ip.push(host);
    else if (EMAIL.test(host)) sans.email.push(host);
    else if (URI.test(host)) sans.uri.push(host);
    else if (isDnsName(host)) sans.dns.push(host);
    else throw new PkiError('INVALID_HOST', `host ${JSON.stringify(host)} is neither an IP address, a DNS name, an e-mail address nor a URI`);
  }
  return sans;
}

/** Hosts in cfssl's certinfo order: DNS names, then IPs (e-mails and URIs are not listed). */
export function cfsslHostList(sans: SubjectAltNames): string[] {
  return [...(sans.dns ?? []), ...(sans.ip ?? [])];
}
