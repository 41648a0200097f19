// The console inside `kagg serve` (the real wiring: registry + aggregator + console, RBAC):
// the page and its assets are public with a strict CSP and no inline script; the
// certificates endpoint needs a grant, never carries a private key, and `kagg console`'s
// token can read but not write.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runConsole } from '../../src/cli/console.ts';
import { CONSOLE_CSP } from '../../src/console/paths.ts';
import { initCertTree } from '../../src/pki/kubeadm/mod.ts';
import { apiRequest, startTestApiServer, TEST_TOKENS, type TestApiServer } from '../support/apiserver.ts';
import { captureIO } from '../support/cli-io.ts';

/** A GET whose path is sent byte for byte (URL parsing would resolve `..` and `%2e%2e`). */
function rawGet(server: TestApiServer, path: string): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, ca: server.pki.ca.cert, agent: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

test('kagg serve --cert-dir: console assets, CSP, certificates endpoint under RBAC, login token read-only', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-console-serve-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const certDir = join(dir, 'pki');
  await initCertTree({ certDir, nodeName: 'node1', advertiseAddress: '127.0.0.1', keyAlgorithm: 'ecdsa-p256' });
  const server = await startTestApiServer({ args: [`--cert-dir=${certDir}`] });
  t.after(() => server.close());

  const page = await apiRequest(server, '/console/', { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200, page.text);
  assert.equal(page.headers['content-security-policy'], CONSOLE_CSP);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.match(page.headers['content-type'] as string, /^text\/html/);
  const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length > 0);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc="\/console\/static\/[\w.-]+\.js"/, 'scripts are files');
    assert.equal(body.trim(), '', 'no inline script');
  }
  assert.doesNotMatch(page.text, /\sstyle=|\son[a-z]+=/i, 'no inline style or handlers');
  const js = /src="(\/console\/static\/[\w.-]+\.js)"/.exec(page.text)![1];
  const asset = await apiRequest(server, js);
  assert.equal(asset.status, 200);
  assert.match(asset.headers['content-type'] as string, /^text\/javascript/);
  assert.doesNotMatch(asset.text, /https?:\/\/(?!127\.0\.0\.1|localhost|www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i, 'no CDN URL in the bundle');

  const redirect = await apiRequest(server, '/console');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, '/console/');
  // Outside the public paths anonymous is refused; known users get 404 for what the build lacks.
  assert.equal((await apiRequest(server, '/console/nope.js')).status, 403);
  for (const path of ['/console/nope.js', '/console/static/nope.js', '/console/api/nope']) {
    assert.equal((await apiRequest(server, path, { cert: server.pki.admin })).status, 404, path);
  }
  assert.equal((await apiRequest(server, '/console/', { method: 'POST', body: {}, cert: server.pki.admin })).status, 405);

  // The certificates endpoint: RBAC nonResourceURLs.
  const certs = '/console/api/certificates';
  assert.equal((await apiRequest(server, certs)).status, 403, 'anonymous');
  for (const sneaky of ['/console/static/%2e%2e/api/certificates', '/console/static/%2E%2E/api/certificates', '/console/static/./../api/certificates']) {
    const r = await rawGet(server, sneaky);
    assert.ok(r.status === 403 || r.status === 404, `${sneaky}: ${r.status}`);
    assert.doesNotMatch(r.text, /ConsoleCertificates/);
  }
  assert.equal((await apiRequest(server, certs, { token: TEST_TOKENS.jane })).status, 403, 'jane has no grant');
  const admin = await apiRequest(server, certs, { cert: server.pki.admin });
  assert.equal(admin.status, 200, admin.text);
  const doc = admin.json() as { kind: string; roots: Array<{ file: string; isCA: boolean; children: Array<{ file: string; sans: string[]; renewCommand?: string }> }> };
  assert.equal(doc.kind, 'ConsoleCertificates');
  assert.deepEqual(doc.roots.map((r) => r.file).sort(), ['ca.crt', 'etcd/ca.crt', 'front-proxy-ca.crt']);
  const apiserver = doc.roots.find((r) => r.file === 'ca.crt')!.children.find((c) => c.file === 'apiserver.crt')!;
  assert.ok(apiserver.sans.includes('IP:127.0.0.1'));
  assert.equal(apiserver.renewCommand, `kagg certs renew apiserver --cert-dir ${certDir}`);
  // No private key, nor any key file's name, leaves the server.
  assert.doesNotMatch(admin.text, /PRIVATE KEY|\.key"/);
  const keyFiles = (await readdir(certDir, { recursive: true })).filter((f) => f.endsWith('.key'));
  assert.ok(keyFiles.length >= 6);

  // kagg console: a short-lived token of a read-only account.
  const io = captureIO();
  assert.equal(await runConsole(['--kubeconfig', server.kubeconfig, '--duration', '15m', '--view', 'certificates'], io), 0, io.err());
  const link = new URL(io.out().trim());
  assert.equal(link.origin, new URL(server.url).origin);
  assert.equal(link.pathname, '/console/');
  assert.equal(link.search, '', 'the token is in the fragment, never sent to a server');
  const m = /^#token=([^&]+)&view=certificates$/.exec(link.hash);
  assert.ok(m, link.hash);
  const token = decodeURIComponent(m[1]);
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number; sub: string };
  assert.equal(claims.sub, 'system:serviceaccount:kube-system:kagg-console');
  assert.equal(claims.exp - claims.iat, 900);
  assert.match(io.err(), /read-only/);
  assert.equal((await apiRequest(server, certs, { token })).status, 200);
  assert.equal((await apiRequest(server, '/apis/apiregistration.k8s.io/v1/apiservices?watch=1&timeoutSeconds=1', { token })).status, 200);
  assert.equal((await apiRequest(server, '/apis/apiregistration.k8s.io/v1/apiservices/v1.', { method: 'DELETE', token })).status, 403);
  assert.equal((await apiRequest(server, '/api/v1/namespaces/kube-system/secrets', { token })).status, 403);
  // The doctor: the caller's own token, checked again on every call back into kagg.
  const doctor = '/console/api/doctor';
  assert.equal((await apiRequest(server, doctor, { token: TEST_TOKENS.jane, headers: { 'x-kagg-console-token': token } })).status, 403);
  assert.equal((await apiRequest(server, doctor, { cert: server.pki.admin })).status, 400, 'no token to run with');
  const report = await apiRequest(server, doctor, { token, headers: { 'x-kagg-console-token': token } });
  assert.equal(report.status, 200, report.text);
  const body = report.json() as { kind: string; checked: unknown[]; findings: Array<{ id: string; fix: string }> };
  assert.equal(body.kind, 'ConsoleDoctorReport');
  assert.ok(body.checked.length > 0, 'online checks ran');
  for (const f of body.findings) assert.ok(f.fix.length > 0, f.id);

  // Run twice: the setup is idempotent and each run gives a new token.
  const again = captureIO();
  assert.equal(await runConsole(['--kubeconfig', server.kubeconfig], again), 0, again.err());
  assert.notEqual(again.out().trim(), io.out().trim());
});

test('kagg console: a bad duration and an unreadable kubeconfig are one-line errors', async () => {
  await assert.rejects(runConsole(['--duration', 'soon', '--kubeconfig', 'x'], captureIO()), /kagg console: --duration soon: /);
  await assert.rejects(runConsole(['--kubeconfig', join(tmpdir(), 'kagg-no-such-kubeconfig')], captureIO()), /^CliError: kagg console: .*kagg-no-such-kubeconfig: cannot read/);
});
