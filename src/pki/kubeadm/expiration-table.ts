// `kubeadm certs check-expiration` output (spec pki.md A.9): the two text tables and the
// `-o json` document. Pure: the rows come from check-expiration.ts.
import { humanDuration } from '../../apimachinery/duration.ts';
import { formatTabbed } from './tab-writer.ts';

export interface ExpirationEntry {
  name: string;
  /** notAfter; undefined when the certificate is missing. */
  expirationDate?: Date;
  /** notAfter − now in whole seconds (truncated toward zero). */
  residualSeconds: number;
  /** The signing CA's name; undefined for the CAs themselves. */
  caName?: string;
  externallyManaged: boolean;
  missing: boolean;
}

export interface ExpirationInfo {
  certificates: ExpirationEntry[];
  certificateAuthorities: ExpirationEntry[];
}

export const EXPIRATION_INFO_KIND = { kind: 'CertificateExpirationInfo', apiVersion: 'output.kubeadm.k8s.io/v1alpha3' } as const;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go layout `Jan 02, 2006 15:04 MST` in UTC: `Jul 28, 2123 10:29 UTC`. */
export function formatExpires(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** Whole seconds from `now` to `notAfter`, truncated like Go's Duration / time.Second. */
export function residualSeconds(notAfter: Date, now: Date): number {
  return Math.trunc((notAfter.getTime() - now.getTime()) / 1000);
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** The two tables, exactly as kubeadm's tab writer prints them. */
export function formatExpirationTable(info: ExpirationInfo): string {
  const lines = ['CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED'];
  for (const c of info.certificates) {
    if (c.missing || !c.expirationDate) {
      lines.push(`!MISSING! ${c.name}\t\t\t\t`);
      continue;
    }
    lines.push([c.name, formatExpires(c.expirationDate), humanDuration(c.residualSeconds * 1000), c.caName ?? '', yesNo(c.externallyManaged).padEnd(8)].join('\t'));
  }
  lines.push('');
  lines.push('CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED');
  for (const c of info.certificateAuthorities) {
    if (c.missing || !c.expirationDate) {
      lines.push(`!MISSING! ${c.name}\t\t\t`);
      continue;
    }
    lines.push([c.name, formatExpires(c.expirationDate), humanDuration(c.residualSeconds * 1000), yesNo(c.externallyManaged).padEnd(8)].join('\t'));
  }
  return formatTabbed(lines);
}

/** `-o json`: Go's field order, RFC 3339 dates (null when missing), residual time in seconds, 4-space indent. */
export function formatExpirationJson(info: ExpirationInfo): string {
  const entry = (c: ExpirationEntry) => ({
    name: c.name,
    expirationDate: c.expirationDate ? rfc3339(c.expirationDate) : null,
    residualTime: c.residualSeconds,
    externallyManaged: c.externallyManaged,
    ...(c.caName ? { caName: c.caName } : {}),
    missing: c.missing,
  });
  const doc = {
    ...EXPIRATION_INFO_KIND,
    certificates: info.certificates.map(entry),
    certificateAuthorities: info.certificateAuthorities.map(entry),
  };
  return `${JSON.stringify(doc, null, 4)}\n`;
}

/** RFC 3339 in UTC with whole seconds, as metav1.Time marshals. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
