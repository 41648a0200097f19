// `kagg certs init` against the spec's kubeadm table (pki.md A.2–A.7), checked from the
// parsed certificates and with the real openssl.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/bin.ts';
import { inspectCertificate, type CertificateInfo } from '../../src/pki/mod.ts';
import { captureIO } from '../support/cli-io.ts';
import { toolOptions } from '../support/tools.ts';

const HOUR = 3600_000;
const MIN = 60_000;

const ARGS = ['--node-name', 'K8s-Master01', '--advertise-address', '192.168.10.140', '--apiserver-cert-extra-sans', 'api.example.com,10.0.0.9'];

// Spec A.3 / A.4, written out literally (not read from the implementation's table).
const API_DNS = ['api.example.com', 'k8s-master01', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const EXPECTED = [
  { file: 'ca.crt', issuer: null, cn: 'kubernetes', o: [], dns: ['kubernetes'], ips: [], ku: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], eku: [], ca: true },
  { file: 'apiserver.crt', issuer: 'ca.crt', cn: 'kube-apiserver', o: [], dns: API_DNS, ips: ['10.96.0.1', '192.168.10.140', '10.0.0.9'], ku: ['digitalSignature', 'keyEncipherment'], eku: ['serverAuth'], ca: false },
  { file: 'apiserver-kubelet-client.crt', issuer: 'ca.crt', cn: 'kube-apiserver-kubelet-client', o: ['kubeadm:cluster-admins'], dns: [], ips: [], ku: ['digitalSignature', 'keyEncipherment'], eku: ['clientAuth'], ca: false },
  { file: 'front-proxy-ca.crt', issuer: null, cn: 'front-proxy-ca', o: [], dns: ['front-proxy-ca'], ips: [], ku: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], eku: [], ca: true },
  { file: 'front-proxy-client.crt', issuer: 'front-proxy-ca.crt', cn: 'front-proxy-client', o: [], dns: [], ips: [], ku: ['digitalSignature', 'keyEncipherment'], eku: ['clientAuth'], ca: false },
  { file: 'etcd/ca.crt', issuer: null, cn: 'etcd-ca', o: [], dns: ['etcd-ca'], ips: [], ku: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], eku: [], ca: true },
  { file: 'etcd/server.crt', issuer: 'etcd/ca.crt', cn: 'k8s-master01', o: [], dns: ['k8s-master01', 'localhost'], ips: ['192.168.10.140', '127.0.0.1', '::1'], ku: ['digitalSignature', 'keyEncipherment'], eku: ['serverAuth', 'clientAuth'], ca: false },
  { file: 'etcd/peer.crt', issuer: 'etcd/ca.crt', cn: 'k8s-master01', o: [], dns: ['k8s-master01', 'localhost'], ips: ['192.168.10.140', '127.0.0.1', '::1'], ku: ['digitalSignature', 'keyEncipherment'], eku: ['serverAuth', 'clientAuth'], ca: false },
  { file: 'etcd/healthcheck-client.crt', issuer: 'etcd/ca.crt', cn: 'kube-etcd-healthcheck-client', o: [], dns: [], ips: [], ku: ['digitalSignature', 'keyEncipherment'], eku: ['clientAuth'], ca: false },
  { file: 'apiserver-etcd-client.crt', issuer: 'etcd/ca.crt', cn: 'kube-apiserver-etcd-client', o: [], dns: [], ips: [], ku: ['digitalSignature', 'keyEncipherment'], eku: ['clientAuth'], ca: false },
] as const;

const ALL_FILES = [...EXPECTED.flatMap((e) => [e.file, e.file.replace(/\.crt$/, '.key')]), 'sa.key', 'sa.pub'].sort();

async function kagg(...args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

function digests(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((p) => [relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex')]));
}

function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('kagg certs init (RSA-2048, the default)', () => {
  let root: string;
  let dir: string;
  let started: number;
  let finished: number;
  let firstRun: { code: number; out: string; err: string };
  const certs = new Map<string, CertificateInfo>();

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kagg-certs-init-'));
    dir = join(root, 'pki');
    started = Date.now();
    firstRun = await kagg('certs', 'init', '--cert-dir', dir, ...ARGS);
    finished = Date.now();
    for (const e of EXPECTED) {
      try {
        certs.set(e.file, inspectCertificate(readFileSync(join(dir, e.file))));
      } catch {
        // a missing file fails the tests below
      }
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('writes exactly the kubeadm files and logs kubeadm lines', () => {
    assert.equal(firstRun.code, 0, firstRun.err);
    assert.deepEqual(listFiles(dir).map((p) => relative(dir, p)).sort(), ALL_FILES);
    const lines = firstRun.out.trimEnd().split('\n');
    assert.equal(lines[0], `[certs] Using certificateDir folder "${dir}"`);
    assert.ok(lines.includes('[certs] Generating "etcd/ca" certificate and key'));
    assert.ok(lines.includes('[certs] apiserver serving cert is signed for DNS names [api.example.com k8s-master01 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 192.168.10.140 10.0.0.9]'));
    assert.ok(lines.includes('[certs] etcd/server serving cert is signed for DNS names [k8s-master01 localhost] and IPs [192.168.10.140 127.0.0.1 ::1]'));
    assert.equal(lines.at(-1), '[certs] Generating "sa" key and public key');
    const order = lines.filter((l) => l.includes('Generating')).map((l) => /"([^"]+)"/.exec(l)![1]);
    assert.deepEqual(order, ['ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client', 'etcd/ca', 'etcd/server', 'etcd/peer', 'etcd/healthcheck-client', 'apiserver-etcd-client', 'sa']);
  });

  for (const e of EXPECTED) {
    test(`${e.file}: subject, SANs, usages, constraints and key ids per spec`, () => {
      const info = certs.get(e.file);
      assert.ok(info, `${e.file} missing`);
      // subject: O (if any) then CN, one RDN each, PrintableString
      assert.deepEqual(info.subjectRdns.map((rdn) => rdn.map((a) => [a.key, a.value, a.stringType])), [
        ...(e.o.length ? [e.o.map((o) => ['O', o, 'printable'])] : []),
        [['CN', e.cn, 'printable']],
      ]);
      assert.deepEqual(info.sans.dns ?? [], e.dns);
      assert.deepEqual(info.sans.ip ?? [], e.ips);
      assert.deepEqual(info.keyUsage, e.ku);
      assert.deepEqual(info.extKeyUsage, e.eku);
      assert.equal(info.isCA, e.ca);
      assert.equal(info.pathLen, undefined);
      assert.equal(info.signatureAlgorithm.name, 'sha256WithRSAEncryption');
      assert.deepEqual(info.publicKeySpec, { algo: 'rsa', size: 2048 });
      assert.ok(info.serialNumber >= 1n && info.serialNumber < (1n << 63n) - 1n, `serial ${info.serialNumber}`);
      // extension order and criticality as Go writes them
      const ext = info.extensions.map((x) => `${x.oid}${x.critical ? '!' : ''}`);
      const expectedExt = e.ca
        ? ['2.5.29.15!', '2.5.29.19!', '2.5.29.14', '2.5.29.17']
        : ['2.5.29.15!', '2.5.29.37', '2.5.29.19!', '2.5.29.35', ...(e.dns.length || e.ips.length ? ['2.5.29.17'] : [])];
      assert.deepEqual(ext, expectedExt);
      if (e.ca) {
        assert.equal(info.subjectKeyId?.length, 20);
        assert.equal(info.authorityKeyId, undefined);
        assert.equal(info.issuerDn, info.subjectDn);
      } else {
        const ca = certs.get(e.issuer!)!;
        assert.equal(info.subjectKeyId, undefined);
        assert.deepEqual(info.authorityKeyId, ca.subjectKeyId);
        assert.equal(info.issuerDn, ca.subjectDn);
      }
    });
  }

  test('validity: one start time T, CA T−5m..T+87600h, leaves T−5m..T+8760h', () => {
    const notBefores = new Set([...certs.values()].map((c) => c.notBefore.getTime()));
    assert.equal(notBefores.size, 1, 'every certificate has the same notBefore');
    const nb = [...notBefores][0];
    assert.ok(nb >= Math.floor((started - 5 * MIN) / 1000) * 1000 && nb <= finished - 5 * MIN, 'notBefore = start − 5 min');
    for (const e of EXPECTED) {
      const info = certs.get(e.file)!;
      assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), (e.ca ? 87600 : 8760) * HOUR + 5 * MIN, e.file);
    }
  });

  test('PEM encodings and file modes (certs 0644, keys and sa.pub 0600, dirs 0755)', () => {
    for (const file of ALL_FILES) {
      const text = readFileSync(join(dir, file), 'utf8');
      const type = file.endsWith('.crt') ? 'CERTIFICATE' : file === 'sa.pub' ? 'PUBLIC KEY' : 'RSA PRIVATE KEY';
      assert.match(text, new RegExp(`^-----BEGIN ${type}-----\\n([A-Za-z0-9+/=]{64}\\n)*[A-Za-z0-9+/=]{1,64}\\n-----END ${type}-----\\n$`), file);
      assert.equal(statSync(join(dir, file)).mode & 0o777, file.endsWith('.crt') ? 0o644 : 0o600, file);
    }
    assert.equal(statSync(join(dir, 'etcd')).mode & 0o777, 0o755);
  });

  test('openssl reads the encodings: subject types, extensions, key formats', toolOptions('openssl'), () => {
    const subject = openssl(['x509', '-in', join(dir, 'apiserver-kubelet-client.crt'), '-noout', '-subject', '-nameopt', 'multiline,show_type']);
    assert.match(subject.out, /organizationName\s+= PRINTABLESTRING:kubeadm:cluster-admins/);
    assert.match(subject.out, /commonName\s+= PRINTABLESTRING:kube-apiserver-kubelet-client/);
    const ca = openssl(['x509', '-in', join(dir, 'ca.crt'), '-noout', '-text']);
    assert.match(ca.out, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment, Certificate Sign\n/);
    assert.match(ca.out, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    assert.match(ca.out, /X509v3 Subject Alternative Name: \n\s+DNS:kubernetes\n/);
    const api = openssl(['x509', '-in', join(dir, 'apiserver.crt'), '-noout', '-text']);
    assert.match(api.out, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    assert.match(api.out, /DNS:api\.example\.com, DNS:k8s-master01, DNS:kubernetes, DNS:kubernetes\.default, DNS:kubernetes\.default\.svc, DNS:kubernetes\.default\.svc\.cluster\.local, IP Address:10\.96\.0\.1, IP Address:192\.168\.10\.140, IP Address:10\.0\.0\.9\n/);
    assert.doesNotMatch(api.out, /Subject Key Identifier/);
    const etcd = openssl(['x509', '-in', join(dir, 'etcd/server.crt'), '-noout', '-text']);
    assert.match(etcd.out, /TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.match(etcd.out, /IP Address:0:0:0:0:0:0:0:1/);
    const key = openssl(['rsa', '-in', join(dir, 'apiserver.key'), '-noout', '-check']);
    assert.equal(key.status, 0, key.out);
  });

  test('every chain verifies with openssl verify, with the right purpose', toolOptions('openssl'), () => {
    for (const e of EXPECTED) {
      const ca = join(dir, e.issuer ?? e.file);
      const purpose = e.ca ? [] : ['-purpose', e.eku[0] === 'serverAuth' ? 'sslserver' : 'sslclient'];
      const r = openssl(['verify', '-x509_strict', ...purpose, '-CAfile', ca, join(dir, e.file)]);
      assert.equal(r.status, 0, `${e.file}: ${r.out}`);
      assert.match(r.out, /: OK\n/);
    }
    // and a leaf does not verify against another root
    const wrong = openssl(['verify', '-CAfile', join(dir, 'front-proxy-ca.crt'), join(dir, 'apiserver.crt')]);
    assert.notEqual(wrong.status, 0);
  });

  test('sa.key and sa.pub are a pair', toolOptions('openssl'), () => {
    const derived = openssl(['pkey', '-in', join(dir, 'sa.key'), '-pubout']);
    assert.equal(derived.status, 0, derived.out);
    assert.equal(derived.out, readFileSync(join(dir, 'sa.pub'), 'utf8'));
  });

  test('a second run keeps every file byte for byte', async () => {
    const before = digests(dir);
    const again = await kagg('certs', 'init', '--cert-dir', dir, ...ARGS);
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(digests(dir), before);
    assert.ok(again.out.includes('[certs] Using the existing "apiserver" certificate and key'));
    assert.ok(again.out.includes('[certs] Using the existing "sa" key'));
    assert.ok(!again.out.includes('Generating'));
  });

  test('a missing leaf is re-signed by the existing CA; nothing else changes', toolOptions('openssl'), async () => {
    const before = digests(dir);
    unlinkSync(join(dir, 'etcd/peer.crt'));
    unlinkSync(join(dir, 'etcd/peer.key'));
    const r = await kagg('certs', 'init', '--cert-dir', dir, ...ARGS);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes('[certs] Generating "etcd/peer" certificate and key'));
    assert.ok(r.out.includes('[certs] Using the existing "etcd/ca" certificate and key'));
    const after = digests(dir);
    for (const [file, digest] of Object.entries(before)) {
      if (file.startsWith('etcd/peer.')) assert.notEqual(after[file], digest, file);
      else assert.equal(after[file], digest, file);
    }
    const v = openssl(['verify', '-CAfile', join(dir, 'etcd/ca.crt'), join(dir, 'etcd/peer.crt')]);
    assert.equal(v.status, 0, v.out);
  });

  test('a leaf from another CA is refused, naming both files, and nothing is written', async () => {
    const other = join(root, 'other');
    const made = await kagg('certs', 'init', '--cert-dir', other, ...ARGS, '--key-algorithm', 'ecdsa-p256');
    assert.equal(made.code, 0, made.err);
    const mixed = join(root, 'mixed');
    cpSync(dir, mixed, { recursive: true });
    cpSync(join(other, 'front-proxy-client.crt'), join(mixed, 'front-proxy-client.crt'));
    cpSync(join(other, 'front-proxy-client.key'), join(mixed, 'front-proxy-client.key'));
    unlinkSync(join(mixed, 'apiserver.crt'));
    unlinkSync(join(mixed, 'apiserver.key'));
    const before = digests(mixed);
    const r = await kagg('certs', 'init', '--cert-dir', mixed, ...ARGS);
    assert.equal(r.code, 1);
    assert.match(r.err, /^kagg certs: front-proxy-client\.crt is not signed by front-proxy-ca\.crt .*delete front-proxy-client\.crt and front-proxy-client\.key/);
    assert.equal(r.err.trimEnd().split('\n').length, 1);
    assert.deepEqual(digests(mixed), before, 'the missing apiserver pair was not written either');
  });

  test('half a pair is refused with the fix', async () => {
    const half = join(root, 'half');
    cpSync(dir, half, { recursive: true });
    unlinkSync(join(half, 'apiserver.key'));
    const r = await kagg('certs', 'init', '--cert-dir', half, ...ARGS);
    assert.equal(r.code, 1);
    assert.match(r.err, /apiserver\.crt exists but apiserver\.key does not/);
  });

  test('options the existing apiserver cert does not cover are refused', async () => {
    const r = await kagg('certs', 'init', '--cert-dir', dir, ...ARGS, '--control-plane-endpoint', 'lb.example.com:6443');
    assert.equal(r.code, 1);
    assert.match(r.err, /apiserver\.crt lacks SAN\(s\) DNS:lb\.example\.com/);
  });
});

describe('kagg certs init --key-algorithm ecdsa-p256 --aggregator-ca', () => {
  let root: string;
  let dir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kagg-certs-ec-'));
    dir = join(root, 'pki');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('EC keys in SEC1, ecdsa-with-SHA256, keyEncipherment kept, plus the seed aggregator pair', toolOptions('openssl'), async () => {
    const r = await kagg('certs', 'init', '--cert-dir', dir, '--node-name', 'node1', '--advertise-address', '10.53.5.94', '--key-algorithm', 'ecdsa-p256', '--aggregator-ca');
    assert.equal(r.code, 0, r.err);
    const api = inspectCertificate(readFileSync(join(dir, 'apiserver.crt')));
    assert.deepEqual(api.publicKeySpec, { algo: 'ecdsa', size: 256 });
    assert.equal(api.signatureAlgorithm.name, 'ecdsa-with-SHA256');
    assert.deepEqual(api.keyUsage, ['digitalSignature', 'keyEncipherment']);
    assert.match(readFileSync(join(dir, 'apiserver.key'), 'utf8'), /^-----BEGIN EC PRIVATE KEY-----\n/);
    assert.match(readFileSync(join(dir, 'sa.key'), 'utf8'), /^-----BEGIN EC PRIVATE KEY-----\n/);

    // the seed's aggregator pair: same subject as cfssl wrote, same SAN line as the golden
    // (the seed's master IP is the advertise address here)
    // (the certificate the real cfssl wrote for the seed's JSON, kept in test/fixtures/pki)
    const goldenPem = new URL('../fixtures/pki/cfssl-golden/aggregator.pem', import.meta.url).pathname;
    const golden = openssl(['x509', '-in', goldenPem, '-noout', '-text']).out;
    assert.match(golden, /IP Address:10\.53\.5\.94/);
    const text = openssl(['x509', '-in', join(dir, 'aggregator.pem'), '-noout', '-text']).out;
    const pick = (t: string, re: RegExp) => re.exec(t)?.[1];
    const sanLine = /X509v3 Subject Alternative Name: \n\s+(.*)\n/;
    assert.equal(pick(text, sanLine), pick(golden, sanLine));
    for (const re of [/Subject: (.*)\n/, /Issuer: (.*)\n/, /X509v3 Key Usage: critical\n\s+(.*)\n/, /X509v3 Extended Key Usage: \n\s+(.*)\n/]) {
      assert.equal(pick(text, re), pick(golden, re), String(re));
    }
    const caText = openssl(['x509', '-in', join(dir, 'aggregator-ca.pem'), '-noout', '-text']).out;
    assert.match(caText, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
    const v = openssl(['verify', '-purpose', 'sslserver', '-CAfile', join(dir, 'aggregator-ca.pem'), join(dir, 'aggregator.pem')]);
    assert.equal(v.status, 0, v.out);
    assert.equal(statSync(join(dir, 'aggregator-key.pem')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'aggregator-ca.pem')).mode & 0o777, 0o644);
  });
});
