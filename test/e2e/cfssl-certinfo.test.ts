// `kagg cfssl certinfo` against `cfssl-certinfo` / `cfssl certinfo` on the same files:
// certificates made by kagg, by cfssl, and the recorded cfssl variants (ECDSA, mixed host
// kinds, multi-valued names, UTF8 names), plus `-csr` on RSA and ECDSA requests.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toolOptions } from '../support/tools.ts';
import { kagg, kaggPipe, real, realPipe, seedDir } from './cfssl-harness.ts';

const TOOLS = toolOptions('cfssl', 'cfssljson', 'cfssl-certinfo');
const VARIANTS = new URL('../fixtures/pki/cfssl-golden/variants/', import.meta.url);

async function compareCert(dir: string, file: string): Promise<void> {
  const k = await kagg(['cfssl', 'certinfo', '-cert', file], { cwd: dir });
  const r = real('cfssl-certinfo', ['-cert', file], { cwd: dir });
  assert.equal(k.code, 0, k.stderr);
  assert.equal(r.stderr, '', `cfssl-certinfo ${file}: ${r.stderr}`);
  assert.deepEqual(JSON.parse(k.stdout), JSON.parse(r.stdout), file);
  assert.equal(k.stdout, r.stdout, `${file}: byte for byte`);
}

test('certinfo -cert equals cfssl-certinfo on kagg\'s and cfssl\'s seed certificates', TOOLS, async (t) => {
  const dir = seedDir(t);
  await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'k-ca', dir);
  await kaggPipe(['gencert', '-ca=k-ca.pem', '-ca-key=k-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', 'aggregator-csr.json'], 'k-leaf', dir);
  realPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'r-ca', dir);
  realPipe(['gencert', '-ca=r-ca.pem', '-ca-key=r-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', 'aggregator-csr.json'], 'r-leaf', dir);
  for (const f of ['k-ca.pem', 'k-leaf.pem', 'r-ca.pem', 'r-leaf.pem']) await compareCert(dir, f);
});

test('certinfo -cert equals cfssl-certinfo on every recorded cfssl variant', TOOLS, async (t) => {
  const dir = seedDir(t);
  const files = readdirSync(VARIANTS).filter((f) => f.endsWith('.pem'));
  assert.ok(files.length >= 15);
  for (const f of files) {
    copyFileSync(new URL(f, VARIANTS), join(dir, f));
    await compareCert(dir, f);
  }
});

test('certinfo reads stdin with -cert - like cfssl-certinfo', TOOLS, async (t) => {
  const dir = seedDir(t);
  await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'k-ca', dir);
  const pem = real('cat', ['k-ca.pem'], { cwd: dir }).stdout;
  const k = await kagg(['cfssl', 'certinfo', '-cert', '-'], { cwd: dir, stdin: pem });
  const r = real('cfssl-certinfo', ['-cert', '-'], { cwd: dir, stdin: pem });
  assert.equal(k.stdout, r.stdout);
});

test('certinfo warns about a leaf named like its issuer, and only then', TOOLS, async (t) => {
  const dir = seedDir(t);
  await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'k-ca', dir);
  await kaggPipe(['gencert', '-ca=k-ca.pem', '-ca-key=k-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', 'aggregator-csr.json'], 'k-leaf', dir);
  realPipe(['gencert', '-ca=k-ca.pem', '-ca-key=k-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', 'aggregator-csr.json'], 'r-leaf', dir);
  const leaf = await kagg(['cfssl', 'certinfo', '-cert', 'k-leaf.pem'], { cwd: dir });
  assert.match(leaf.stderr, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[WARNING\] k-leaf.pem: subject equals issuer \(C = CN, ST = BeiJing, L = BeiJing, O = k8s, OU = System, CN = aggregator\) but the certificate is not self-signed; it carries an Authority Key Identifier/);
  const cfsslLeaf = await kagg(['cfssl', 'certinfo', '-cert', 'r-leaf.pem'], { cwd: dir });
  assert.match(cfsslLeaf.stderr, /it has no Authority Key Identifier, so OpenSSL takes it for a self-signed root/);
  const root = await kagg(['cfssl', 'certinfo', '-cert', 'k-ca.pem'], { cwd: dir });
  assert.equal(root.stderr, '');
});

const CSR_KEYS = [
  { algo: 'rsa', size: 2048 },
  { algo: 'ecdsa', size: 256 },
  { algo: 'ecdsa', size: 384 },
] as const;

for (const key of CSR_KEYS) {
  test(`certinfo -csr equals cfssl certinfo -csr (${key.algo}-${key.size}, requests by kagg and by cfssl)`, TOOLS, async (t) => {
    const dir = seedDir(t);
    writeFileSync(join(dir, 'req.json'), JSON.stringify({ CN: 'csr-info', hosts: ['a.example', 'x@example.com', '10.0.0.1', '::1'], key, names: [{ C: 'CN', O: 'a_b' }, { O: 'second' }] }));
    await kaggPipe(['genkey', 'req.json'], 'k-req', dir);
    realPipe(['genkey', 'req.json'], 'r-req', dir);
    await kaggPipe(['gencert', '-initca', 'req.json'], 'k-ca', dir);
    for (const f of ['k-req.csr', 'r-req.csr', 'k-ca.csr']) {
      const k = await kagg(['cfssl', 'certinfo', '-csr', f], { cwd: dir });
      const r = real('cfssl', ['certinfo', '-csr', f], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(k.code, 0, k.stderr);
      assert.deepEqual(JSON.parse(k.stdout), JSON.parse(r.stdout), f);
      assert.equal(k.stdout, r.stdout, `${f}: byte for byte`);
    }
  });
}
