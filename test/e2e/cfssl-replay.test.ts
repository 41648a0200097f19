// The seed's three JSON files replayed through kagg and through the real Debian cfssl, in
// the same temp dir: the certificates must agree on everything but keys, serials and the
// one deliberate difference (kagg writes the AKI on a leaf named like its CA).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toolOptions } from '../support/tools.ts';
import { kagg, kaggPipe, logMessages, opensslFacts, real, realPipe, seedDir } from './cfssl-harness.ts';

const TOOLS = toolOptions('cfssl', 'cfssljson', 'openssl');
const LEAF_ARGS = ['gencert', '-ca=CA.pem', '-ca-key=CA-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', 'aggregator-csr.json'];

function leafArgs(prefix: string): string[] {
  return LEAF_ARGS.map((a) => a.replace('CA', `${prefix}aggregator-ca`));
}

test('seed replay: kagg and cfssl certificates agree field by field; openssl accepts kagg\'s chain', TOOLS, async (t) => {
  const dir = seedDir(t);
  const started = Date.now();
  const kCa = await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'k-aggregator-ca', dir);
  const kLeaf = await kaggPipe(leafArgs('k-'), 'k-aggregator', dir);
  const rCa = realPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'r-aggregator-ca', dir);
  const rLeaf = realPipe(leafArgs('r-'), 'r-aggregator', dir);
  for (const [name, run] of Object.entries({ kCa, kLeaf, rCa, rLeaf })) {
    assert.equal(run.gen.code, 0, `${name} gencert: ${run.gen.stderr}`);
    assert.equal(run.json.code, 0, `${name} cfssljson: ${run.json.stderr}`);
  }

  for (const kind of ['aggregator-ca', 'aggregator']) {
    const k = opensslFacts(`k-${kind}.pem`, dir);
    const r = opensslFacts(`r-${kind}.pem`, dir);
    assert.equal(k.subject, 'C = CN, ST = BeiJing, L = BeiJing, O = k8s, OU = System, CN = aggregator');
    assert.equal(k.subject, r.subject, `${kind} subject`);
    assert.equal(k.issuer, r.issuer, `${kind} issuer`);
    assert.equal(k.signatureAlgorithm, r.signatureAlgorithm, `${kind} signature algorithm`);
    assert.equal(k.publicKey, r.publicKey, `${kind} key`);
    assert.equal(k.notAfter.getTime() - k.notBefore.getTime(), r.notAfter.getTime() - r.notBefore.getTime(), `${kind} validity period`);
    assert.equal(k.notBefore.getUTCSeconds(), 0, `${kind} notBefore is minute-rounded`);
    const nb = k.notBefore.getTime() + 5 * 60_000;
    assert.ok(nb >= started - 30_000 && nb <= Date.now() + 30_000, `${kind} notBefore = run time rounded to the minute − 5m`);
    for (const ext of ['X509v3 Key Usage', 'X509v3 Extended Key Usage', 'X509v3 Basic Constraints', 'X509v3 Subject Alternative Name']) {
      assert.equal(k.extensions.get(ext), r.extensions.get(ext), `${kind} ${ext}`);
    }
    assert.ok(k.extensions.has('X509v3 Subject Key Identifier'));
  }
  const leaf = opensslFacts('k-aggregator.pem', dir);
  assert.equal(leaf.extensions.get('X509v3 Key Usage'), 'Digital Signature, Key Encipherment (critical)');
  assert.equal(leaf.extensions.get('X509v3 Extended Key Usage'), 'TLS Web Server Authentication, TLS Web Client Authentication');
  assert.equal(leaf.extensions.get('X509v3 Basic Constraints'), 'CA:FALSE (critical)');
  assert.equal(leaf.extensions.get('X509v3 Subject Alternative Name'), 'DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster, DNS:kubernetes.default.svc.cluster.local, IP Address:127.0.0.1, IP Address:10.53.5.94, IP Address:10.96.0.1');
  assert.equal(opensslFacts('k-aggregator-ca.pem', dir).extensions.get('X509v3 Basic Constraints'), 'CA:TRUE (critical)');
  assert.equal(leaf.extensions.get('X509v3 Authority Key Identifier'), opensslFacts('k-aggregator-ca.pem', dir).extensions.get('X509v3 Subject Key Identifier'));
  // The deliberate difference: this cfssl build omits the AKI because subject = issuer.
  assert.equal(opensslFacts('r-aggregator.pem', dir).extensions.has('X509v3 Authority Key Identifier'), false);

  const kVerify = real('openssl', ['verify', '-CAfile', 'k-aggregator-ca.pem', 'k-aggregator.pem'], { cwd: dir });
  assert.equal(kVerify.code, 0, kVerify.stderr);
  assert.match(kVerify.stdout, /k-aggregator.pem: OK/);
  const rVerify = real('openssl', ['verify', '-CAfile', 'r-aggregator-ca.pem', 'r-aggregator.pem'], { cwd: dir });
  assert.notEqual(rVerify.code, 0, 'the Debian cfssl leaf is rejected by openssl (self-signed look-alike)');
  assert.match(rVerify.stdout + rVerify.stderr, /error 18/);

  const kLeafCert = new X509Certificate(readFileSync(join(dir, 'k-aggregator.pem')));
  const kCaCert = new X509Certificate(readFileSync(join(dir, 'k-aggregator-ca.pem')));
  assert.equal(kLeafCert.verify(kCaCert.publicKey), true);
  assert.equal(kLeafCert.checkIssued(kCaCert), true);
});

test('seed replay: same files, modes, PEM types, stdout shape and log lines as cfssl/cfssljson', TOOLS, async (t) => {
  const dir = seedDir(t);
  const kCa = await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'k-aggregator-ca', dir);
  const kLeaf = await kaggPipe(leafArgs('k-'), 'k-aggregator', dir);
  const rCa = realPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'r-aggregator-ca', dir);
  const rLeaf = realPipe(leafArgs('r-'), 'r-aggregator', dir);

  for (const [k, r] of [[kCa, rCa], [kLeaf, rLeaf]]) {
    assert.match(k.gen.stdout, /^\{"cert":"-----BEGIN CERTIFICATE-----\\n[^"]+","csr":"-----BEGIN CERTIFICATE REQUEST-----\\n[^"]+","key":"-----BEGIN RSA PRIVATE KEY-----\\n[^"]+"\}\n$/);
    assert.deepEqual(Object.keys(JSON.parse(k.gen.stdout)), Object.keys(JSON.parse(r.gen.stdout)));
    assert.deepEqual(logMessages(k.gen.stderr), logMessages(r.gen.stderr));
  }
  for (const base of ['aggregator-ca', 'aggregator']) {
    for (const suffix of ['.pem', '-key.pem', '.csr']) {
      const kFile = join(dir, `k-${base}${suffix}`);
      const rFile = join(dir, `r-${base}${suffix}`);
      assert.equal((statSync(kFile).mode & 0o777).toString(8), (statSync(rFile).mode & 0o777).toString(8), `mode of ${base}${suffix}`);
      const firstLine = (f: string) => readFileSync(f, 'utf8').split('\n')[0];
      assert.equal(firstLine(kFile), firstLine(rFile), `PEM type of ${base}${suffix}`);
      assert.ok(readFileSync(kFile, 'utf8').endsWith('-----\n'));
    }
    // The CSRs carry the same request (subject, extensions) as cfssl's.
    const reqText = (f: string) => real('openssl', ['req', '-in', f, '-noout', '-text', '-verify'], { cwd: dir });
    const k = reqText(`k-${base}.csr`);
    const r = reqText(`r-${base}.csr`);
    assert.equal(k.code, 0, k.stderr);
    const requested = (s: string) => s.slice(s.indexOf('Attributes:'), s.indexOf('Signature Algorithm:'));
    const subject = (s: string) => /Subject: (.*)/.exec(s)?.[1];
    assert.equal(subject(k.stdout), subject(r.stdout));
    assert.equal(requested(k.stdout), requested(r.stdout), `${base}.csr requested extensions`);
  }
});

test('cfssljson: -stdout output and the mode kept by an existing file match cfssljson', TOOLS, async (t) => {
  const dir = seedDir(t);
  const gen = real('cfssl', ['gencert', '-initca', 'aggregator-ca-csr.json'], { cwd: dir });
  assert.equal(gen.code, 0, gen.stderr);
  const kOut = await kagg(['cfssljson', '-stdout', '-bare'], { cwd: dir, stdin: gen.stdout });
  const rOut = real('cfssljson', ['-stdout', '-bare'], { cwd: dir, stdin: gen.stdout });
  assert.equal(kOut.stdout, rOut.stdout);
  for (const prefix of ['k', 'r']) {
    writeFileSync(join(dir, `${prefix}.pem`), 'old\n', { mode: 0o600 });
    writeFileSync(join(dir, `${prefix}-key.pem`), 'old\n', { mode: 0o640 });
  }
  assert.equal((await kagg(['cfssljson', '-bare', 'k'], { cwd: dir, stdin: gen.stdout })).code, 0);
  assert.equal(real('cfssljson', ['-bare', 'r'], { cwd: dir, stdin: gen.stdout }).code, 0);
  for (const suffix of ['.pem', '-key.pem', '.csr']) {
    const mode = (p: string) => (statSync(join(dir, `${p}${suffix}`)).mode & 0o777).toString(8);
    assert.equal(mode('k'), mode('r'), suffix);
    assert.equal(readFileSync(join(dir, `k${suffix}`), 'utf8'), readFileSync(join(dir, `r${suffix}`), 'utf8'));
  }
});

// `openssl asn1parse -i` with values masked: depth, header and content lengths, types.
// A random serial is one byte shorter when its first byte is zero (1 in 128, in both
// tools), so for certificates the serial's length and the two lengths enclosing it are masked.
function derSkeleton(dir: string, file: string): string[] {
  const r = real('openssl', ['asn1parse', '-in', file, '-i'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const serialLines = file.endsWith('.pem') ? [0, 1, 4] : [];
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/^ *\d+:(d=\d+) +(hl=\d+) +l= *(\d+)/, '$1 $2 l=$3').replace(/(INTEGER|BIT STRING|OCTET STRING|UTCTIME|GENERALIZEDTIME) *:.*/, '$1').replace(/\[HEX DUMP\]:.*/, 'HEX').trimEnd())
    .map((l, i) => (serialLines.includes(i) ? l.replace(/l=\d+/, 'l=*') : l));
}

test('DER layout: kagg\'s RSA CA, CSRs and leaf have the same ASN.1 skeleton as cfssl\'s', TOOLS, async (t) => {
  const dir = seedDir(t);
  writeFileSync(join(dir, 'leaf.json'), JSON.stringify({ CN: 'leaf', hosts: ['a.example', '10.0.0.1', '::1'], key: { algo: 'rsa', size: 2048 }, names: [{ C: 'CN', O: 'k8s', OU: 'a_b' }] }));
  await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'k-ca', dir);
  realPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'r-ca', dir);
  // Both leaves under the cfssl CA, named unlike it, so both carry an AKI.
  await kaggPipe(['gencert', '-ca=r-ca.pem', '-ca-key=r-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', 'leaf.json'], 'k-leaf', dir);
  realPipe(['gencert', '-ca=r-ca.pem', '-ca-key=r-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', 'leaf.json'], 'r-leaf', dir);
  for (const f of ['ca.pem', 'ca.csr', 'leaf.pem', 'leaf.csr']) {
    assert.deepEqual(derSkeleton(dir, `k-${f}`), derSkeleton(dir, `r-${f}`), f);
  }
});
