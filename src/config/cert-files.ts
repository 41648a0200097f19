// Reading the certificate and key files that kube-apiserver flags point to, with node:crypto.
// Every failure names the file and says what is wrong with it.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export type CertFileProblem = 'missing' | 'unreadable' | 'invalid';

export class CertFileError extends Error {
  override readonly name = 'CertFileError';
  constructor(
    readonly path: string,
    readonly problem: CertFileProblem,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${detail}`, options);
  }
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CertFileError(path, 'missing', 'no such file', { cause: err });
    throw new CertFileError(path, 'unreadable', `cannot read (${code ?? String(err)})`, { cause: err });
  }
}

/** Every certificate of a PEM file (a CA bundle may hold several). */
export async function readCertificates(path: string): Promise<X509Certificate[]> {
  const text = (await readBytes(path)).toString('utf8');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new CertFileError(path, 'invalid', 'no PEM CERTIFICATE block');
  return blocks.map((pem, i) => {
    try {
      return new X509Certificate(pem);
    } catch (err) {
      throw new CertFileError(path, 'invalid', `certificate ${i + 1} does not parse (${(err as Error).message})`, { cause: err });
    }
  });
}

export async function readPrivateKey(path: string): Promise<KeyObject> {
  const bytes = await readBytes(path);
  try {
    return createPrivateKey(bytes);
  } catch (err) {
    throw new CertFileError(path, 'invalid', `not a PEM private key (${(err as Error).message})`, { cause: err });
  }
}

/** Parses PEM text given inline (e.g. a ConfigMap value); [] when it holds none. */
export function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const out: X509Certificate[] = [];
  for (const b of blocks) {
    try {
      out.push(new X509Certificate(b));
    } catch {
      // a broken block is reported by the caller as "no usable certificate"
    }
  }
  return out;
}

/** The subject's CN (the last one when several). */
export function commonName(cert: X509Certificate): string | undefined {
  const cns = cert.subject.split('\n').filter((l) => l.startsWith('CN=')).map((l) => l.slice(3));
  return cns[cns.length - 1];
}

/** The CA certificate of `bundle` that issued and signed `leaf`, if any (like Go, a signer must be a CA). */
export function findIssuer(leaf: X509Certificate, bundle: readonly X509Certificate[]): X509Certificate | undefined {
  return bundle.find((ca) => ca.ca && leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
}

/**
 * Why `leaf` does not chain to a root of `bundle` (undefined when it does). `intermediates`
 * are the other certificates presented with the leaf (the rest of its PEM file), as in Go.
 */
export function issuerProblem(leaf: X509Certificate, bundle: readonly X509Certificate[], intermediates: readonly X509Certificate[] = []): string | undefined {
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (findIssuer(current, bundle)) return undefined;
    const next = findIssuer(current, intermediates.filter((c) => c !== current));
    if (!next) break;
    current = next;
  }
  const signer = bundle.find((c) => current.verify(c.publicKey));
  if (signer) return `its signer ${describeSubject(signer)} is not a CA certificate (no basicConstraints CA:TRUE or no keyCertSign usage), so verification fails`;
  return `issuer ${current.issuer.split('\n').join(', ')} is not among ${bundle.map(describeSubject).join('; ') || 'no certificates'}`;
}

/** True when the cert may be used for `oid` (no EKU extension means any usage, as in Go). */
export function allowsExtKeyUsage(cert: X509Certificate, oid: string): boolean {
  const eku = cert.keyUsage;
  if (eku === undefined) return true;
  return eku.includes(oid) || eku.includes('2.5.29.37.0');
}

export function notAfter(cert: X509Certificate): Date {
  return new Date(cert.validTo);
}

export function notBefore(cert: X509Certificate): Date {
  return new Date(cert.validFrom);
}

/** `CN=x, O=y` for messages. */
export function describeSubject(cert: X509Certificate): string {
  return cert.subject.split('\n').join(', ');
}

export function sanIPs(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('IP Address:')).map((s) => s.slice('IP Address:'.length));
}

export function sanDNSNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
}
