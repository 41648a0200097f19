// Interop both ways: a CSR made by the real cfssl signed by kagg (with a CA cfssl made),
// and CSRs made by kagg signed by the real cfssl (with a CA kagg made). Every result must
// verify with openssl and with Node's X509Certificate#verify.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toolOptions } from '../support/tools.ts';
import { kagg, kaggPipe, opensslFacts, real, realPipe, seedDir } from './cfssl-harness.ts';

const TOOLS = toolOptions('cfssl', 'cfssljson', 'openssl');
const SIGN = ['-config=aggregator-ca-config.json', '-profile=aggregator'];

function assertVerifies(dir: string, caFile: string, leafFile: string): void {
  const v = real('openssl', ['verify', '-CAfile', caFile, leafFile], { cwd: dir });
  assert.equal(v.code, 0, `openssl verify ${leafFile}: ${v.stdout}${v.stderr}`);
  const ca = new X509Certificate(readFileSync(join(dir, caFile)));
  const leaf = new X509Certificate(readFileSync(join(dir, leafFile)));
  assert.equal(leaf.verify(ca.publicKey), true, `Node verify ${leafFile}`);
}

const KEYS = [
  { name: 'rsa-2048', key: { algo: 'rsa', size: 2048 } },
  { name: 'ecdsa-256', key: { algo: 'ecdsa', size: 256 } },
  { name: 'ecdsa-384', key: { algo: 'ecdsa', size: 384 } },
] as const;

for (const c of KEYS) {
  test(`a ${c.name} CSR made by cfssl is signed by kagg with cfssl's CA`, TOOLS, async (t) => {
    const dir = seedDir(t);
    writeFileSync(join(dir, 'req.json'), JSON.stringify({ CN: `interop-${c.name}`, hosts: ['interop.example', '10.1.2.3', '::1'], key: c.key, names: [{ O: 'system:masters', OU: 'a_b' }] }));
    assert.equal(realPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'r-ca', dir).json.code, 0);
    assert.equal(realPipe(['genkey', 'req.json'], 'r-req', dir).json.code, 0);
    const signed = await kaggPipe(['sign', '-ca=r-ca.pem', '-ca-key=r-ca-key.pem', ...SIGN, 'r-req.csr'], 'k-signed', dir);
    assert.equal(signed.gen.code, 0, signed.gen.stderr);
    assert.equal(signed.json.code, 0, signed.json.stderr);
    assertVerifies(dir, 'r-ca.pem', 'k-signed.pem');
    // The same CSR signed by cfssl itself: same subject, SANs, usages.
    assert.equal(realPipe(['sign', '-ca=r-ca.pem', '-ca-key=r-ca-key.pem', ...SIGN, 'r-req.csr'], 'r-signed', dir).json.code, 0);
    const k = opensslFacts('k-signed.pem', dir);
    const r = opensslFacts('r-signed.pem', dir);
    assert.equal(k.subject, `O = system:masters, OU = a_b, CN = interop-${c.name}`);
    for (const field of ['subject', 'issuer', 'signatureAlgorithm', 'publicKey'] as const) assert.equal(k[field], r[field], field);
    for (const ext of ['X509v3 Key Usage', 'X509v3 Extended Key Usage', 'X509v3 Basic Constraints', 'X509v3 Subject Alternative Name', 'X509v3 Authority Key Identifier']) {
      assert.equal(k.extensions.get(ext), r.extensions.get(ext), ext);
    }
    const keyMatches = real('sh', ['-c', 'test "$(openssl x509 -in k-signed.pem -noout -pubkey)" = "$(openssl pkey -in r-req-key.pem -pubout)"'], { cwd: dir });
    assert.equal(keyMatches.code, 0, 'kagg certified the key of the cfssl CSR');
  });
}

for (const c of KEYS) {
  test(`a ${c.name} CSR made by kagg is signed by cfssl with kagg's CA`, TOOLS, async (t) => {
    const dir = seedDir(t);
    writeFileSync(join(dir, 'req.json'), JSON.stringify({ CN: `interop-${c.name}`, hosts: ['interop.example', '10.1.2.3'], key: c.key, names: [{ C: 'CN', O: 'k8s' }] }));
    assert.equal((await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'k-ca', dir)).json.code, 0);
    const req = await kaggPipe(['genkey', 'req.json'], 'k-req', dir);
    assert.equal(req.json.code, 0, req.gen.stderr + req.json.stderr);
    const verifyReq = real('openssl', ['req', '-in', 'k-req.csr', '-noout', '-verify'], { cwd: dir });
    assert.equal(verifyReq.code, 0, verifyReq.stderr);
    const signed = realPipe(['sign', '-ca=k-ca.pem', '-ca-key=k-ca-key.pem', ...SIGN, 'k-req.csr'], 'r-signed', dir);
    assert.equal(signed.gen.code, 0, signed.gen.stderr);
    assert.equal(signed.json.code, 0, signed.json.stderr);
    assertVerifies(dir, 'k-ca.pem', 'r-signed.pem');
    const facts = opensslFacts('r-signed.pem', dir);
    assert.equal(facts.subject, `C = CN, O = k8s, CN = interop-${c.name}`);
    assert.equal(facts.extensions.get('X509v3 Subject Alternative Name'), 'DNS:interop.example, IP Address:10.1.2.3');
  });
}

test('a leaf made whole by kagg under a CA made by cfssl verifies (gencert with a foreign CA key file)', TOOLS, async (t) => {
  const dir = seedDir(t);
  assert.equal(realPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'r-ca', dir).json.code, 0);
  writeFileSync(join(dir, 'leaf.json'), JSON.stringify({ CN: 'leaf-under-cfssl-ca', hosts: ['localhost', '127.0.0.1'], key: { algo: 'rsa', size: 2048 } }));
  const run = await kaggPipe(['gencert', '-ca=r-ca.pem', '-ca-key=r-ca-key.pem', ...SIGN, 'leaf.json'], 'k-leaf', dir);
  assert.equal(run.gen.code, 0, run.gen.stderr);
  assertVerifies(dir, 'r-ca.pem', 'k-leaf.pem');
  const cmp = await kagg(['cfssl', 'certinfo', '-cert', 'k-leaf.pem'], { cwd: dir });
  assert.equal(JSON.parse(cmp.stdout).issuer.common_name, 'aggregator');
});
