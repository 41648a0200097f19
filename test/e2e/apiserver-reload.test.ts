// Certificate rotation without a restart: a new --client-ca-file bundle and a new serving
// certificate written over the old files take effect on the running server.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { test } from 'node:test';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey, signCertificate, type CertificateAuthority } from '../../src/pki/mod.ts';
import { apiRequest, startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import type { CertPair } from '../support/test-pki.ts';

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let i = 0; i < 200 && Date.now() < deadline; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function replace(file: string, content: string): Promise<void> {
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}

function servingSerial(server: TestApiServer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/version', server.url), { ca: server.pki.ca.cert, agent: false }, (res) => {
      resolve(new X509Certificate((res.socket as TLSSocket).getPeerCertificate().raw).serialNumber);
      res.resume();
    });
    req.on('error', reject);
    req.end();
  });
}

test('client CA and serving certificate reload on file change', async (t) => {
  const server = await startTestApiServer({});
  t.after(() => server.close());
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const newCA: CertificateAuthority = { cert: (await createSelfSignedCA({ key, subject: { CN: 'rotated-ca' }, expiry: '24h' })).pem, key };
  const userKey = await generateKey({ algo: 'ecdsa', size: 256 });
  const newAdmin: CertPair = {
    cert: (await signCertificate({ ca: newCA, publicKey: userKey, subject: { CN: 'kubernetes-admin', O: 'system:masters' }, extKeyUsage: ['clientAuth'], expiry: '1h' })).pem,
    key: encodePrivateKeyPem(userKey, 'pkcs8'),
    certFile: '',
    keyFile: '',
  };
  assert.equal((await apiRequest(server, '/metrics', { cert: newAdmin })).status, 401);

  // the bundle now trusts both CAs (as during a real rotation), then only the new one
  await replace(server.pki.ca.certFile, `${server.pki.ca.cert}${String(newCA.cert)}`);
  await until(async () => (await apiRequest(server, '/metrics', { cert: newAdmin })).status === 200, 'the new CA to be trusted');
  assert.equal((await apiRequest(server, '/metrics', { cert: server.pki.admin })).status, 200);
  await replace(server.pki.ca.certFile, String(newCA.cert));
  await until(async () => (await apiRequest(server, '/metrics', { cert: server.pki.admin })).status === 401, 'the old CA to be dropped');

  // a new serving certificate from the same CA
  const before = await servingSerial(server);
  const servingKey = await generateKey({ algo: 'ecdsa', size: 256 });
  const caKey = (await import('../../src/pki/mod.ts')).parsePrivateKeyPem(server.pki.ca.key);
  const cert = await signCertificate({ ca: { cert: server.pki.ca.cert, key: caKey }, publicKey: servingKey, subject: { CN: 'kube-apiserver' }, sans: { ip: ['127.0.0.1'], dns: ['localhost'] }, extKeyUsage: ['serverAuth'], expiry: '1h' });
  await replace(server.pki.serving.keyFile, encodePrivateKeyPem(servingKey, 'pkcs8'));
  await replace(server.pki.serving.certFile, cert.pem);
  await until(async () => (await servingSerial(server)) !== before, 'the new serving certificate');
  assert.match(server.logs(), /reloaded/);
});
