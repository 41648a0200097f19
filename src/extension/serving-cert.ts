// The serving certificate: given files, or upstream's MaybeDefaultWithSelfSignedCerts — a
// self-signed CA and a serving certificate for the listed hosts, written into the cert
// directory as <pair>.crt (leaf, then CA) and <pair>.key and reused on the next start while
// valid and covering every host. The
// caBundle is the last certificate of the file's chain (the CA that an APIService trusts).
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey, signCertificate } from '../pki/mod.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

export interface ServingCertOptions {
  certFile?: string;
  keyFile?: string;
  /** Where generated certificates go; required when no files are given. */
  certDir?: string;
  /** File base name in certDir; default `apiserver` (upstream's PairName). */
  pairName?: string;
  /** DNS names and IPs of the generated certificate; default localhost and 127.0.0.1. */
  hosts?: readonly string[];
}

export interface ServingCert {
  cert: string;
  key: string;
  certFile?: string;
  keyFile?: string;
  /** PEM of the CA that signed the serving certificate (for an APIService's caBundle). */
  caBundle: string;
  generated: boolean;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

export function caBundleOf(certPem: string): string {
  const blocks = certPem.match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new Error('no CERTIFICATE block in the serving certificate');
  const last = blocks[blocks.length - 1];
  return last.endsWith('\n') ? last : `${last}\n`;
}

async function readPair(certFile: string, keyFile: string): Promise<{ cert: string; key: string }> {
  const read = async (f: string, flag: string) => {
    try {
      return await readFile(f, 'utf8');
    } catch (err) {
      throw new Error(`${flag} ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
  };
  return { cert: await read(certFile, '--tls-cert-file'), key: await read(keyFile, '--tls-private-key-file') };
}

async function exists(f: string): Promise<boolean> {
  return readFile(f).then(() => true, () => false);
}

export async function loadServingCert(options: ServingCertOptions): Promise<ServingCert> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
    const pair = await readPair(options.certFile, options.keyFile);
    return { ...pair, certFile: options.certFile, keyFile: options.keyFile, caBundle: caBundleOf(pair.cert), generated: false };
  }
  if (!options.certDir) throw new Error('either --tls-cert-file/--tls-private-key-file or --cert-dir is required');
  const pairName = options.pairName ?? 'apiserver';
  const hosts = options.hosts && options.hosts.length > 0 ? options.hosts : ['localhost', '127.0.0.1'];
  const certFile = join(options.certDir, `${pairName}.crt`);
  const keyFile = join(options.certDir, `${pairName}.key`);
  if ((await exists(certFile)) && (await exists(keyFile))) {
    const pair = await readPair(certFile, keyFile);
    const leaf = new X509Certificate(pair.cert);
    const covers = hosts.every((h) => (isIP(h) === 0 ? leaf.checkHost(h, { wildcards: false }) : leaf.checkIP(h)) !== undefined);
    if (covers && new Date(leaf.validTo) > new Date()) return { ...pair, certFile, keyFile, caBundle: caBundleOf(pair.cert), generated: false };
  }
  const dns = hosts.filter((h) => isIP(h) === 0);
  const ip = hosts.filter((h) => isIP(h) !== 0);
  const stamp = Math.floor(Date.now() / 1000);
  const caKey = await generateKey({ algo: 'ecdsa', size: 256 });
  const ca = await createSelfSignedCA({ key: caKey, subject: { CN: `${hosts[0]}-ca@${stamp}` }, expiry: '8760h' });
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const leaf = await signCertificate({
    ca: { cert: ca.pem, key: caKey },
    publicKey: key,
    subject: { CN: `${hosts[0]}@${stamp}` },
    sans: { dns, ip },
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth'],
    expiry: '8760h',
  });
  const cert = `${leaf.pem.trimEnd()}\n${ca.pem.trimEnd()}\n`;
  const keyPem = encodePrivateKeyPem(key, 'pkcs8');
  await writeFileAtomic(certFile, cert, { dirMode: 0o700 });
  await writeFileAtomic(keyFile, keyPem, { mode: 0o600, dirMode: 0o700 });
  return { cert, key: keyPem, certFile, keyFile, caBundle: caBundleOf(cert), generated: true };
}
