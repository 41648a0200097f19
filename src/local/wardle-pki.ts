// The sample server's own PKI: a CA (published as the APIService caBundle) and a serving
// certificate for `<service>.<namespace>.svc`, which is the name the aggregator verifies.
// Reused when present and valid.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import {
  createSelfSignedCA, encodePrivateKeyPem, generateKey, parsePrivateKeyPem, privateKeyMatchesCert, signCertificate,
} from '../pki/mod.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

export interface ServingPki {
  caFile: string;
  certFile: string;
  keyFile: string;
  caPem: string;
}

const DAY_MS = 24 * 3600 * 1000;

async function readIfValid(certFile: string, keyFile: string, minValidMs: number): Promise<string | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const parsed = new X509Certificate(cert);
    if (Date.parse(parsed.validTo) - Date.now() < minValidMs) return undefined;
    return privateKeyMatchesCert(parsePrivateKeyPem(key), cert) ? cert : undefined;
  } catch {
    return undefined;
  }
}

export async function ensureServingPki(dir: string, service: { name: string; namespace: string }, options: { now?: Date } = {}): Promise<ServingPki> {
  const files = { caFile: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
  const dnsName = `${service.name}.${service.namespace}.svc`;
  let caPem = await readIfValid(files.caFile, files.caKey, 30 * DAY_MS);
  let reissueLeaf = false;
  if (!caPem) {
    const caKey = await generateKey({ algo: 'ecdsa', size: 256 });
    const ca = await createSelfSignedCA({ key: caKey, subject: { CN: `${dnsName}-ca` }, expiry: '87600h', now: options.now });
    await writeFileAtomic(files.caKey, encodePrivateKeyPem(caKey), { mode: 0o600, dirMode: 0o700 });
    await writeFileAtomic(files.caFile, ca.pem);
    caPem = ca.pem;
    reissueLeaf = true;
  }
  const leafPem = reissueLeaf ? undefined : await readIfValid(files.certFile, files.keyFile, 7 * DAY_MS);
  const leafChains = leafPem !== undefined && new X509Certificate(leafPem).checkIssued(new X509Certificate(caPem));
  if (!leafChains) {
    const caKey = parsePrivateKeyPem(await readFile(files.caKey, 'utf8'));
    const key = await generateKey({ algo: 'ecdsa', size: 256 });
    const leaf = await signCertificate({
      ca: { cert: caPem, key: caKey },
      publicKey: key,
      subject: { CN: dnsName },
      sans: { dns: [dnsName, `${service.name}.${service.namespace}.svc.cluster.local`, 'localhost'], ip: ['127.0.0.1'] },
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['serverAuth'],
      expiry: '8760h',
      // cfssl's default backdate (5 min): notBefore is the clock rounded to the nearest
      // minute, so without it a certificate issued in the second half of a minute would
      // not be valid yet for up to 30 s, and the aggregator's first checks would fail.
      now: options.now,
    });
    await writeFileAtomic(files.keyFile, encodePrivateKeyPem(key), { mode: 0o600 });
    await writeFileAtomic(files.certFile, leaf.pem);
  }
  return { caFile: files.caFile, certFile: files.certFile, keyFile: files.keyFile, caPem };
}
