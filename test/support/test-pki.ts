// Certificates and keys for API server tests, minted with kagg's own PKI library: a client
// CA (also signing the serving cert), admin/user/expired/server-only client certs, a foreign
// CA, a front-proxy CA with an allowed and a disallowed proxy cert, and service-account keys.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSelfSignedCA, encodePrivateKeyPem, encodePublicKeyPem, generateKey, signCertificate, type CertificateAuthority, type PrivateKey, type Subject } from '../../src/pki/mod.ts';

export interface CertPair {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  dir: string;
  ca: CertPair;
  serving: CertPair;
  admin: CertPair;
  jane: CertPair;
  expired: CertPair;
  serverOnly: CertPair;
  foreignCA: CertPair;
  foreign: CertPair;
  frontProxyCA: CertPair;
  frontProxy: CertPair;
  frontProxyIntruder: CertPair;
  saKeyFile: string;
  saPubFile: string;
  /** A key the server does not trust, for forged tokens. */
  foreignSaKeyFile: string;
}

const DAY = 86_400_000;

async function save(dir: string, name: string, cert: string, key: PrivateKey): Promise<CertPair> {
  const keyPem = encodePrivateKeyPem(key, 'pkcs8');
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await writeFile(certFile, cert);
  await writeFile(keyFile, keyPem, { mode: 0o600 });
  return { cert, key: keyPem, certFile, keyFile };
}

async function makeCA(dir: string, name: string, cn: string): Promise<{ pair: CertPair; ca: CertificateAuthority }> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await createSelfSignedCA({ key, subject: { CN: cn }, expiry: '8760h' });
  return { pair: await save(dir, name, cert.pem, key), ca: { cert: cert.pem, key } };
}

async function makeLeaf(dir: string, name: string, ca: CertificateAuthority, subject: Subject, extra: { usage: 'client' | 'server'; notBefore?: Date; notAfter?: Date; sans?: { dns?: string[]; ip?: string[] } }): Promise<CertPair> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await signCertificate({
    ca,
    publicKey: key,
    subject,
    sans: extra.sans,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: [extra.usage === 'client' ? 'clientAuth' : 'serverAuth'],
    expiry: '24h',
    notBefore: extra.notBefore,
    notAfter: extra.notAfter,
  });
  return save(dir, name, cert.pem, key);
}

export async function createTestPki(dir: string): Promise<TestPki> {
  const [ca, foreignCA, frontProxyCA] = await Promise.all([
    makeCA(dir, 'ca', 'kubernetes'),
    makeCA(dir, 'foreign-ca', 'someone-else'),
    makeCA(dir, 'front-proxy-ca', 'front-proxy-ca'),
  ]);
  const now = Date.now();
  const [serving, admin, jane, expired, serverOnly, foreign, frontProxy, frontProxyIntruder] = await Promise.all([
    makeLeaf(dir, 'apiserver', ca.ca, { CN: 'kube-apiserver' }, { usage: 'server', sans: { dns: ['localhost'], ip: ['127.0.0.1'] } }),
    makeLeaf(dir, 'admin', ca.ca, { CN: 'kubernetes-admin', O: 'system:masters' }, { usage: 'client' }),
    makeLeaf(dir, 'jane', ca.ca, { CN: 'jane', O: 'devs' }, { usage: 'client' }),
    makeLeaf(dir, 'expired', ca.ca, { CN: 'jane', O: 'devs' }, { usage: 'client', notBefore: new Date(now - 2 * DAY), notAfter: new Date(now - DAY) }),
    makeLeaf(dir, 'server-only', ca.ca, { CN: 'jane' }, { usage: 'server' }),
    makeLeaf(dir, 'foreign', foreignCA.ca, { CN: 'kubernetes-admin', O: 'system:masters' }, { usage: 'client' }),
    makeLeaf(dir, 'front-proxy-client', frontProxyCA.ca, { CN: 'front-proxy-client' }, { usage: 'client' }),
    makeLeaf(dir, 'front-proxy-intruder', frontProxyCA.ca, { CN: 'intruder' }, { usage: 'client' }),
  ]);
  const sa = await generateKey({ algo: 'rsa', size: 2048 });
  const foreignSa = await generateKey({ algo: 'rsa', size: 2048 });
  const saKeyFile = join(dir, 'sa.key');
  const saPubFile = join(dir, 'sa.pub');
  const foreignSaKeyFile = join(dir, 'foreign-sa.key');
  await writeFile(saKeyFile, encodePrivateKeyPem(sa, 'pkcs1'), { mode: 0o600 });
  await writeFile(saPubFile, encodePublicKeyPem(sa));
  await writeFile(foreignSaKeyFile, encodePrivateKeyPem(foreignSa, 'pkcs1'), { mode: 0o600 });
  return {
    dir,
    ca: ca.pair,
    serving,
    admin,
    jane,
    expired,
    serverOnly,
    foreignCA: foreignCA.pair,
    foreign,
    frontProxyCA: frontProxyCA.pair,
    frontProxy,
    frontProxyIntruder,
    saKeyFile,
    saPubFile,
    foreignSaKeyFile,
  };
}
