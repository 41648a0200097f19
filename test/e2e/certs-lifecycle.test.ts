// The life of a tree after `init`: kubeconfigs, check-expiration, renew, verify, tree.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { main } from '../../src/cli/bin.ts';
import { initCertTree } from '../../src/pki/kubeadm/mod.ts';
import { encodePrivateKeyPem, generateKey, inspectCertificate, parsePrivateKeyPem, privateKeyMatchesCert, signCertificate } from '../../src/pki/mod.ts';
import { captureIO } from '../support/cli-io.ts';
import { toolOptions } from '../support/tools.ts';

const DAY = 24 * 3600_000;
const KUBECONFIGS = [
  { kind: 'admin', file: 'admin.conf', cn: 'kubernetes-admin', o: ['kubeadm:cluster-admins'] },
  { kind: 'super-admin', file: 'super-admin.conf', cn: 'kubernetes-super-admin', o: ['system:masters'] },
  { kind: 'controller-manager', file: 'controller-manager.conf', cn: 'system:kube-controller-manager', o: [] },
  { kind: 'scheduler', file: 'scheduler.conf', cn: 'system:kube-scheduler', o: [] },
];
const LEAF_FILES = ['apiserver.crt', 'apiserver-kubelet-client.crt', 'front-proxy-client.crt', 'etcd/server.crt', 'etcd/peer.crt', 'etcd/healthcheck-client.crt', 'apiserver-etcd-client.crt'];

async function kagg(...args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}
const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** A tree made `ageDays` ago (library, ECDSA for speed) with the four kubeconfigs made now (CLI). */
async function makeTree(root: string, ageDays: number): Promise<string> {
  const dir = join(root, 'pki');
  await initCertTree({ certDir: dir, nodeName: 'n1', advertiseAddress: '10.0.0.5', keyAlgorithm: 'ecdsa-p256', now: new Date(Date.now() - ageDays * DAY) });
  for (const kc of KUBECONFIGS) {
    const r = await kagg('kubeconfig', kc.kind, '--cert-dir', dir, '--server', 'https://10.0.0.5:6443', '--out', join(root, kc.file));
    assert.equal(r.code, 0, r.err);
  }
  return dir;
}

describe('kagg kubeconfig, check-expiration, renew, verify, tree', () => {
  let root: string;
  let dir: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kagg-certs-life-'));
    dir = await makeTree(root, 10);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const kc of KUBECONFIGS) {
    test(`kubeconfig ${kc.kind}: kubeadm layout, CN ${kc.cn}, signed by ca.crt`, toolOptions('openssl'), () => {
      const text = readFileSync(join(root, kc.file), 'utf8');
      const doc = parse(text) as Kubeconfig;
      assert.equal(doc['current-context'], `${kc.cn}@kubernetes`);
      assert.deepEqual(doc.contexts, [{ name: `${kc.cn}@kubernetes`, context: { cluster: 'kubernetes', user: kc.cn } }]);
      assert.equal(doc.clusters[0].cluster.server, 'https://10.0.0.5:6443');
      assert.equal(b64(doc.clusters[0].cluster['certificate-authority-data']), readFileSync(join(dir, 'ca.crt'), 'utf8'));
      assert.equal(doc.users[0].name, kc.cn);
      const certPem = b64(doc.users[0].user['client-certificate-data']);
      const info = inspectCertificate(certPem);
      assert.equal(info.subject.CN, kc.cn);
      assert.deepEqual(info.subject.O ?? [], kc.o);
      assert.deepEqual(info.extKeyUsage, ['clientAuth']);
      assert.deepEqual(info.keyUsage, ['digitalSignature', 'keyEncipherment']);
      assert.deepEqual(info.sans, {});
      assert.ok(privateKeyMatchesCert(parsePrivateKeyPem(b64(doc.users[0].user['client-key-data'])), certPem));
      const certFile = join(root, `${kc.kind}.pem`);
      writeFileSync(certFile, certPem);
      const v = openssl(['verify', '-purpose', 'sslclient', '-CAfile', join(dir, 'ca.crt'), certFile]);
      assert.equal(v.status, 0, v.out);
    });
  }

  test('kubeconfig goes to stdout without --out, and kubectl reads it', toolOptions('kubectl'), async () => {
    const r = await kagg('kubeconfig', 'scheduler', '--cert-dir', dir, '--server', 'https://127.0.0.1:6443');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^apiVersion: v1\nclusters:\n- cluster:\n {4}certificate-authority-data: /);
    const file = join(root, 'stdout.conf');
    writeFileSync(file, r.out);
    const k = spawnSync('kubectl', ['--kubeconfig', file, 'config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.user} {.clusters[0].cluster.server}'], { encoding: 'utf8' });
    assert.equal(k.status, 0, k.stderr);
    assert.equal(k.stdout, 'system:kube-scheduler https://127.0.0.1:6443');
  });

  test('kubeconfig --out keeps an existing file with the same CA, refuses another CA, --force replaces', async () => {
    const file = join(root, 'reuse.conf');
    const args = ['kubeconfig', 'controller-manager', '--cert-dir', dir, '--out', file];
    const first = await kagg(...args, '--server', 'https://10.0.0.5:6443');
    assert.equal(first.err, `[kubeconfig] Writing "${file}" kubeconfig file\n`);
    const bytes = readFileSync(file, 'utf8');
    const again = await kagg(...args, '--server', 'https://10.0.0.5:6443');
    assert.equal(again.code, 0);
    assert.equal(again.err, `[kubeconfig] Using existing kubeconfig file: "${file}"\n`);
    assert.equal(readFileSync(file, 'utf8'), bytes);
    const moved = await kagg(...args, '--server', 'https://10.0.0.6:6443');
    assert.equal(moved.code, 0);
    assert.match(moved.err, /WARNING: .*reuse\.conf has the API server URL https:\/\/10\.0\.0\.5:6443, not https:\/\/10\.0\.0\.6:6443/);
    assert.equal(readFileSync(file, 'utf8'), bytes);
    const otherRoot = mkdtempSync(join(tmpdir(), 'kagg-certs-other-'));
    try {
      await initCertTree({ certDir: join(otherRoot, 'pki'), nodeName: 'n2', advertiseAddress: '10.0.0.7', keyAlgorithm: 'ecdsa-p256' });
      const foreign = await kagg('kubeconfig', 'controller-manager', '--cert-dir', join(otherRoot, 'pki'), '--out', file, '--server', 'https://10.0.0.7:6443');
      assert.equal(foreign.code, 1);
      assert.match(foreign.err, /reuse\.conf exists already but has got the wrong CA cert/);
      assert.equal(readFileSync(file, 'utf8'), bytes);
      const forced = await kagg('kubeconfig', 'controller-manager', '--cert-dir', join(otherRoot, 'pki'), '--out', file, '--server', 'https://10.0.0.7:6443', '--force');
      assert.equal(forced.code, 0, forced.err);
      assert.equal((parse(readFileSync(file, 'utf8')) as Kubeconfig).clusters[0].cluster.server, 'https://10.0.0.7:6443');
    } finally {
      rmSync(otherRoot, { recursive: true, force: true });
    }
  });

  test('kubeconfig refuses a cert dir without the CA key, naming the file', async () => {
    const empty = join(root, 'no-ca');
    const r = await kagg('kubeconfig', 'admin', '--cert-dir', empty, '--server', 'https://10.0.0.5:6443');
    assert.equal(r.code, 1);
    assert.match(r.err, /no-ca\/ca\.crt does not exist/);
  });

  test('check-expiration: kubeadm tables with residual times', async () => {
    const r = await kagg('certs', 'check-expiration', '--cert-dir', dir);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED');
    const rows = lines.slice(1, 12).map((l) => l.split(/ {3,}/));
    assert.deepEqual(rows.map((r) => r[0]), ['admin.conf', 'apiserver', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'controller-manager.conf', 'etcd-healthcheck-client', 'etcd-peer', 'etcd-server', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf']);
    for (const row of rows) {
      assert.match(row[1], /^[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC$/);
      assert.equal(row[2], row[0].endsWith('.conf') ? '364d' : '354d', row[0]);
      assert.equal(row[3], row[0].startsWith('etcd') || row[0] === 'apiserver-etcd-client' ? 'etcd-ca' : row[0] === 'front-proxy-client' ? 'front-proxy-ca' : 'ca');
    }
    assert.ok(lines.slice(1, 12).every((l) => l.endsWith('no      ')), 'EXTERNALLY MANAGED is %-8v');
    assert.equal(lines[12], '');
    assert.equal(lines[13], 'CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED');
    assert.deepEqual(lines.slice(14, 17).map((l) => l.split(/ {3,}/)[0]), ['ca', 'etcd-ca', 'front-proxy-ca']);
    assert.ok(lines.slice(14, 17).every((l) => / {3}9y {14}no {6}$/.test(l)), lines.slice(14, 17).join('\n'));
    assert.equal(lines.length, 18);

    const json = await kagg('certs', 'check-expiration', '--cert-dir', dir, '-o', 'json');
    const doc = JSON.parse(json.out);
    assert.equal(doc.kind, 'CertificateExpirationInfo');
    assert.equal(doc.apiVersion, 'output.kubeadm.k8s.io/v1alpha3');
    assert.equal(doc.certificates.length, 11);
    const apiserver = doc.certificates.find((c: { name: string }) => c.name === 'apiserver');
    const notAfter = inspectCertificate(readFileSync(join(dir, 'apiserver.crt'))).notAfter;
    assert.equal(apiserver.expirationDate, notAfter.toISOString().replace('.000Z', 'Z'));
    assert.ok(Math.abs(apiserver.residualTime - (notAfter.getTime() - Date.now()) / 1000) < 60);
    assert.equal(apiserver.caName, 'ca');
    assert.equal('caName' in doc.certificateAuthorities[0], false);
  });

  test('check-expiration marks missing files and external CAs', async (t) => {
    const copy = mkdtempSync(join(tmpdir(), 'kagg-certs-ext-'));
    t.after(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(dir, join(copy, 'pki'), { recursive: true });
    for (const kc of KUBECONFIGS) cpSync(join(root, kc.file), join(copy, kc.file));
    unlinkSync(join(copy, 'super-admin.conf'));
    unlinkSync(join(copy, 'pki', 'front-proxy-ca.key'));
    const r = await kagg('certs', 'check-expiration', '--cert-dir', join(copy, 'pki'));
    assert.match(r.out, /\n!MISSING! super-admin\.conf {3,}\n/);
    assert.match(r.out, /\nfront-proxy-client .* front-proxy-ca {10}yes {5}\n/);
    assert.match(r.out, /\nfront-proxy-ca .* yes {5}\n/);

    const renew = await kagg('certs', 'renew', 'all', '--cert-dir', join(copy, 'pki'));
    assert.equal(renew.code, 0, renew.err);
    assert.ok(renew.out.includes("Detected external front-proxy-ca, certificate for the front proxy client can't be renewed\n"));
    assert.ok(renew.out.includes('MISSING! certificate embedded in the kubeconfig file for the super-admin\n'));
    assert.ok(renew.out.endsWith('\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.\n'));
  });

  test('renew keeps subject, SANs and usages; changes key, serial and validity; still chains', toolOptions('openssl'), async () => {
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    const before = new Map(LEAF_FILES.map((f) => [f, { info: inspectCertificate(read(f)), key: read(f.replace('.crt', '.key')) }]));
    const adminBefore = parse(readFileSync(join(root, 'admin.conf'), 'utf8')) as Kubeconfig;
    const r = await kagg('certs', 'renew', 'all', '--cert-dir', dir);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith('certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself renewed\ncertificate for serving the Kubernetes API renewed\n'), r.out);
    for (const f of LEAF_FILES) {
      const old = before.get(f)!;
      const now = inspectCertificate(read(f));
      assert.equal(now.subjectDn, old.info.subjectDn, f);
      assert.deepEqual(now.sans, old.info.sans, f);
      assert.deepEqual(now.extKeyUsage, old.info.extKeyUsage, f);
      assert.deepEqual(now.keyUsage, old.info.keyUsage, f);
      assert.notEqual(now.serialNumber, old.info.serialNumber, f);
      assert.ok(now.notAfter.getTime() - old.info.notAfter.getTime() > 9 * DAY, `${f}: notAfter moved forward`);
      assert.notEqual(read(f.replace('.crt', '.key')), old.key, `${f}: new key`);
      assert.ok(privateKeyMatchesCert(parsePrivateKeyPem(read(f.replace('.crt', '.key'))), read(f)));
      const ca = f.startsWith('etcd/') || f === 'apiserver-etcd-client.crt' ? 'etcd/ca.crt' : f === 'front-proxy-client.crt' ? 'front-proxy-ca.crt' : 'ca.crt';
      const v = openssl(['verify', '-CAfile', join(dir, ca), join(dir, f)]);
      assert.equal(v.status, 0, `${f}: ${v.out}`);
    }
    const adminAfter = parse(readFileSync(join(root, 'admin.conf'), 'utf8')) as Kubeconfig;
    assert.deepEqual(adminAfter.clusters, adminBefore.clusters);
    assert.deepEqual(adminAfter.contexts, adminBefore.contexts);
    assert.notEqual(adminAfter.users[0].user['client-certificate-data'], adminBefore.users[0].user['client-certificate-data']);
    assert.equal(inspectCertificate(b64(adminAfter.users[0].user['client-certificate-data'])).subject.CN, 'kubernetes-admin');
  });

  test('renew of one name touches only that pair', async () => {
    const peer = readFileSync(join(dir, 'etcd/peer.crt'), 'utf8');
    const r = await kagg('certs', 'renew', 'etcd-server', '--cert-dir', dir);
    assert.equal(r.out, 'certificate for serving etcd renewed\n');
    assert.equal(readFileSync(join(dir, 'etcd/peer.crt'), 'utf8'), peer);
    const bad = await kagg('certs', 'renew', 'ca', '--cert-dir', dir);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /unknown certificate "ca"/);
  });

  test('verify passes a sound tree', async () => {
    const r = await kagg('certs', 'verify', '--cert-dir', dir, '--node-name', 'n1', '--advertise-address', '10.0.0.5');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^OK: \d+ files checked\n$/);
  });

  test('tree: which CA signs what, text and json', async () => {
    const r = await kagg('certs', 'tree', '--cert-dir', dir);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0], /^ca\.crt {2}\[CN = kubernetes\] {2}expires .* \(9y\)$/);
    assert.ok(lines.some((l) => /^├── apiserver\.crt {2}\[CN = kube-apiserver\]/.test(l)));
    assert.ok(lines.some((l) => /^[├└]── .*super-admin\.conf {2}\[O = system:masters, CN = kubernetes-super-admin\]/.test(l)));
    assert.ok(lines.some((l) => /^etcd\/ca\.crt /.test(l)));
    const json = JSON.parse((await kagg('certs', 'tree', '--cert-dir', dir, '-o', 'json')).out);
    assert.deepEqual(json.roots.map((n: { file: string }) => n.file), ['ca.crt', 'front-proxy-ca.crt', 'etcd/ca.crt']);
    const etcd = json.roots[2];
    assert.deepEqual(etcd.children.map((n: { file: string }) => n.file), ['etcd/server.crt', 'etcd/peer.crt', 'etcd/healthcheck-client.crt', 'apiserver-etcd-client.crt']);
    assert.equal(json.roots[0].children.length, 2 + KUBECONFIGS.length);
    assert.deepEqual(json.orphans, []);
  });
});

describe('kagg certs verify finds broken trees', () => {
  let root: string;
  let dir: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kagg-certs-verify-'));
    dir = join(root, 'pki');
    await initCertTree({ certDir: dir, nodeName: 'n1', advertiseAddress: '10.0.0.5', keyAlgorithm: 'ecdsa-p256' });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function copyTree(name: string): string {
    const copy = join(root, name);
    cpSync(dir, copy, { recursive: true });
    return copy;
  }

  test('swapped keys: each key named with its certificate', async () => {
    const copy = copyTree('swapped');
    renameSync(join(copy, 'apiserver.key'), join(copy, 'tmp.key'));
    renameSync(join(copy, 'front-proxy-client.key'), join(copy, 'apiserver.key'));
    renameSync(join(copy, 'tmp.key'), join(copy, 'front-proxy-client.key'));
    const r = await kagg('certs', 'verify', '--cert-dir', copy);
    assert.equal(r.code, 1);
    const errors = r.err.split('\n').filter((l) => l.startsWith('error: '));
    assert.deepEqual(errors.map((l) => l.split(': ')[1]), ['apiserver.key', 'front-proxy-client.key']);
    assert.match(errors[0], /^error: apiserver\.key: does not match apiserver\.crt\. Fix: /);
    assert.match(r.err, /2 error\(s\) in \d+ files checked\n$/);
  });

  test('a serving cert without the service names or IPs is reported per SAN', async () => {
    const copy = copyTree('no-san');
    const ca = { cert: readFileSync(join(copy, 'ca.crt'), 'utf8'), key: parsePrivateKeyPem(readFileSync(join(copy, 'ca.key'), 'utf8')) };
    const key = await generateKey({ algo: 'ecdsa', size: 256 });
    const issued = await signCertificate({ ca, publicKey: key, subject: { CN: 'kube-apiserver' }, sans: { dns: ['kubernetes'] }, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'] });
    writeFileSync(join(copy, 'apiserver.crt'), issued.pem);
    writeFileSync(join(copy, 'apiserver.key'), encodePrivateKeyPem(key));
    const r = await kagg('certs', 'verify', '--cert-dir', copy);
    assert.equal(r.code, 1);
    assert.match(r.err, /^error: apiserver\.crt: lacks SAN\(s\) DNS:kubernetes\.default, DNS:kubernetes\.default\.svc, DNS:kubernetes\.default\.svc\.cluster\.local, IP:10\.96\.0\.1\. Fix: delete apiserver\.crt and apiserver\.key/m);
    const other = await kagg('certs', 'verify', '--cert-dir', dir, '--advertise-address', '10.9.9.9');
    assert.equal(other.code, 1);
    assert.match(other.err, /error: apiserver\.crt: lacks SAN\(s\) IP:10\.9\.9\.9/);
  });

  test('wrong usage, wrong CA and a broken sa pair', async () => {
    const copy = copyTree('usage');
    // a client cert where the serving cert belongs, and a front-proxy client from the wrong CA
    cpSync(join(copy, 'apiserver-kubelet-client.crt'), join(copy, 'apiserver.crt'));
    cpSync(join(copy, 'apiserver-kubelet-client.key'), join(copy, 'apiserver.key'));
    cpSync(join(copy, 'apiserver-etcd-client.crt'), join(copy, 'front-proxy-client.crt'));
    cpSync(join(copy, 'apiserver-etcd-client.key'), join(copy, 'front-proxy-client.key'));
    const other = await generateKey({ algo: 'ecdsa', size: 256 });
    writeFileSync(join(copy, 'sa.key'), encodePrivateKeyPem(other));
    const r = await kagg('certs', 'verify', '--cert-dir', copy);
    assert.equal(r.code, 1);
    assert.match(r.err, /error: apiserver\.crt: ExtendedKeyUsage lacks serverAuth/);
    assert.match(r.err, /error: apiserver\.crt: CN is "kube-apiserver-kubelet-client", the control plane expects "kube-apiserver"/);
    assert.match(r.err, /error: front-proxy-client\.crt: is not signed by front-proxy-ca\.crt/);
    assert.match(r.err, /error: sa\.pub: is not the public half of sa\.key/);
    const json = JSON.parse((await kagg('certs', 'verify', '--cert-dir', copy, '-o', 'json')).out);
    assert.equal(json.ok, false);
    assert.ok(json.findings.every((f: { file: string; problem: string; fix: string }) => f.file && f.problem && f.fix));
  });

  test('an old tree: expired leaves are errors, check-expiration shows <invalid>, renew repairs it', async () => {
    const old = join(root, 'old', 'pki');
    await initCertTree({ certDir: old, nodeName: 'n1', advertiseAddress: '10.0.0.5', keyAlgorithm: 'ecdsa-p256', now: new Date(Date.now() - 400 * DAY) });
    const v = await kagg('certs', 'verify', '--cert-dir', old);
    assert.equal(v.code, 1);
    assert.match(v.err, /error: apiserver\.crt: expired on .*\. Fix: run 'kagg certs renew apiserver --cert-dir /);
    const table = await kagg('certs', 'check-expiration', '--cert-dir', old);
    assert.match(table.out, /\napiserver {3,}\w{3} \d{2}, \d{4} \d{2}:\d{2} UTC {3}<invalid> {7}ca/);
    const renew = await kagg('certs', 'renew', 'all', '--cert-dir', old);
    assert.equal(renew.code, 0, renew.err);
    const again = await kagg('certs', 'verify', '--cert-dir', old);
    assert.equal(again.code, 0, again.err);
  });

  test('verify of an empty dir names every missing file', async () => {
    const r = await kagg('certs', 'verify', '--cert-dir', join(root, 'nothing'));
    assert.equal(r.code, 1);
    for (const f of ['ca.crt', 'apiserver.crt', 'etcd/ca.crt', 'etcd/peer.crt', 'sa.key', 'sa.pub']) {
      assert.match(r.err, new RegExp(`^error: ${f.replace('.', '\\.')}: missing\\. Fix: run 'kagg certs init`, 'm'), f);
    }
  });
});
