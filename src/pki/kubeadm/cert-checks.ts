// Checks shared by init (reuse decisions), verify and tree: who signed a certificate, and
// which expected SANs it lacks.
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../mod.ts';
import { canonicalIp, type AltNames } from './san.ts';

/** True when `caPem`'s key signed `leafPem` and the names chain. */
export function signedBy(leafPem: string, caPem: string): boolean {
  try {
    const leaf = new X509Certificate(leafPem);
    const ca = new X509Certificate(caPem);
    return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** Expected SANs the certificate does not carry (`DNS:x`, `IP:y`). */
export function missingSans(info: CertificateInfo, expected: AltNames): string[] {
  const dns = new Set(info.sans.dns ?? []);
  const ips = new Set((info.sans.ip ?? []).map((ip) => canonicalIp(ip) ?? ip));
  return [...expected.dns.filter((d) => !dns.has(d)).map((d) => `DNS:${d}`), ...expected.ips.filter((ip) => !ips.has(ip)).map((ip) => `IP:${ip}`)];
}
