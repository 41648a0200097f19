// Certificates rotated on disk under load: kagg serve (the CLI, which watches its files)
// gets a new serving certificate twice and a client CA bundle with a second CA while 8
// clients keep opening new TLS connections. No request fails, new connections see the new
// serving certificate, and a client cert from the added CA authenticates.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey, parsePrivateKeyPem, signCertificate, type CertificateAuthority } from '../../src/pki/mod.ts';
import { kaggServeArgs, startKaggChild, type KaggChild } from '../support/kagg-child.ts';
import { createTestPki } from '../support/test-pki.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(url: string, path: string, o: { ca: string; cert: string; key: string }): Promise<{ status: number; serial: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { ...o, agent: false, headers: { accept: 'application/json' }, timeout: 10_000 }, (res) => {
      const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber ?? '';
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, serial }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function replace(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

test('serving cert and client CA rotated on disk under load: no failed request', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-fault-rotation-'));
  let child: KaggChild | undefined;
  t.after(async () => {
    await child?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });
  const pki = await createTestPki(dir);
  child = await startKaggChild(dir, kaggServeArgs(dir, pki, ['--storage=memory']));
  const ca: CertificateAuthority = { cert: pki.ca.cert, key: parsePrivateKeyPem(pki.ca.key) };
  const creds = { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key };
  const url = child.url;

  const serials = new Set<string>();
  const failures: string[] = [];
  let requests = 0;
  let stop = false;
  const client = async () => {
    for (let i = 0; i < 2000 && !stop; i++) {
      try {
        const r = await get(url, '/api/v1/namespaces/default', creds);
        requests++;
        serials.add(r.serial);
        if (r.status !== 200) failures.push(String(r.status));
      } catch (err) {
        failures.push((err as NodeJS.ErrnoException).code ?? String(err));
      }
    }
  };
  const load = Promise.all(Array.from({ length: 8 }, client));

  const newServing = async () => {
    const key = await generateKey({ algo: 'ecdsa', size: 256 });
    const cert = await signCertificate({ ca, publicKey: key, subject: { CN: 'kube-apiserver' }, sans: { dns: ['localhost'], ip: ['127.0.0.1'] }, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'], expiry: '24h' });
    // Key first, then cert: the watcher must not serve a mismatched pair in between.
    await replace(pki.serving.keyFile, encodePrivateKeyPem(key, 'pkcs8'));
    await replace(pki.serving.certFile, cert.pem);
    return cert.serialNumber.toString(16).toUpperCase();
  };
  let last = '';
  try {
    await sleep(1000);
    last = await newServing();
    // A second client CA appended to the bundle; its client cert must start to work.
    const ca2Key = await generateKey({ algo: 'ecdsa', size: 256 });
    const ca2 = await createSelfSignedCA({ key: ca2Key, subject: { CN: 'second-client-ca' }, expiry: '24h' });
    const userKey = await generateKey({ algo: 'ecdsa', size: 256 });
    const user = await signCertificate({ ca: { cert: ca2.pem, key: ca2Key }, publicKey: userKey, subject: { CN: 'rotated-admin', O: ['system:masters'] }, keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'], expiry: '24h' });
    await replace(pki.ca.certFile, pki.ca.cert + ca2.pem);
    let accepted = 0;
    for (let i = 0; i < 50 && accepted !== 200; i++) {
      accepted = (await get(url, '/api/v1/namespaces/default', { ca: pki.ca.cert, cert: user.pem, key: encodePrivateKeyPem(userKey, 'pkcs8') })).status;
      if (accepted !== 200) await sleep(100);
    }
    assert.equal(accepted, 200, 'a client cert from the appended CA is not accepted');
    await sleep(1000);
    last = await newServing();
    await sleep(1500);
  } finally {
    stop = true;
    await load;
  }
  assert.deepEqual(failures, [], `${failures.length} of ${requests} requests failed`);
  assert.ok(requests > 100, `only ${requests} requests`);
  assert.ok(serials.size >= 2, `new connections never saw a new serving cert: ${[...serials].join(',')}`);
  const now = await get(url, '/api/v1/namespaces/default', creds);
  assert.equal(now.serial.replace(/^0+/, ''), last.replace(/^0+/, ''));
  t.diagnostic(`figures ${JSON.stringify({ faults: 3, requests, failed: failures.length, servingCertsSeen: serials.size })}`);
});
