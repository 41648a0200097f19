// The recorded cfssl variants (test/fixtures/pki/cfssl-golden/variants/INDEX.txt) replayed
// through kagg and the real cfssl side by side: key types and sizes, signature algorithm by
// signer, default expiries, path lengths, hosts on a root, host kinds, -hostname, unknown
// usage words, no config, multi-valued and UTF8 names, the missing-hosts warning.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { toolOptions } from '../support/tools.ts';
import { kaggPipe, logMessages, opensslFacts, realPipe, seedDir, type OpensslFacts } from './cfssl-harness.ts';

const TOOLS = toolOptions('cfssl', 'cfssljson', 'openssl');
const AGG_NAMES = [{ C: 'CN', ST: 'BeiJing', L: 'BeiJing', O: 'k8s', OU: 'System' }];
const SEED_HOSTS = ['127.0.0.1', '10.53.5.94', '10.96.0.1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster', 'kubernetes.default.svc.cluster.local'];

interface Variant {
  name: string;
  request: object;
  /** gencert arguments before the CSR file; CA files are shared ones made by cfssl. */
  args: string[];
  config?: object;
  expect?: (k: OpensslFacts) => void;
}

const VARIANTS: Variant[] = [
  { name: 'ec-ca', request: { CN: 'ec-ca', key: { algo: 'ecdsa', size: 256 }, names: AGG_NAMES, ca: { expiry: '87600h' } }, args: ['-initca'], expect: (k) => assert.equal(k.signatureAlgorithm, 'ecdsa-with-SHA256') },
  { name: 'ec384', request: { CN: 'ec384', key: { algo: 'ecdsa', size: 384 } }, args: ['-initca'], expect: (k) => assert.equal(k.signatureAlgorithm, 'ecdsa-with-SHA384') },
  { name: 'ec521', request: { CN: 'ec521', key: { algo: 'ecdsa', size: 521 } }, args: ['-initca'], expect: (k) => assert.equal(k.signatureAlgorithm, 'ecdsa-with-SHA512') },
  { name: 'rsa3072', request: { CN: 'rsa3072', key: { algo: 'rsa', size: 3072 } }, args: ['-initca'], expect: (k) => assert.equal(k.signatureAlgorithm, 'sha384WithRSAEncryption') },
  { name: 'rsa4096', request: { CN: 'rsa4096', key: { algo: 'rsa', size: 4096 } }, args: ['-initca'], expect: (k) => assert.equal(k.signatureAlgorithm, 'sha512WithRSAEncryption') },
  { name: 'noexp-ca', request: { CN: 'noexp-ca', key: { algo: 'rsa', size: 2048 }, names: AGG_NAMES }, args: ['-initca'], expect: (k) => assert.equal(k.notAfter.getTime() - k.notBefore.getTime(), 43800 * 3600_000) },
  { name: 'nokey', request: { CN: 'nokey' }, args: ['-initca'], expect: (k) => assert.match(k.publicKey, /id-ecPublicKey 256 bit/) },
  { name: 'hostca', request: { CN: 'hostca', hosts: ['ca.example', '10.0.0.1'], key: { algo: 'rsa', size: 2048 } }, args: ['-initca'], expect: (k) => assert.equal(k.extensions.get('X509v3 Subject Alternative Name'), 'IP Address:10.0.0.1') },
  { name: 'pl1', request: { CN: 'pl1', key: { algo: 'rsa', size: 2048 }, ca: { pathlen: 1 } }, args: ['-initca'], expect: (k) => assert.equal(k.extensions.get('X509v3 Basic Constraints'), 'CA:TRUE, pathlen:1 (critical)') },
  { name: 'pl0', request: { CN: 'pl0', key: { algo: 'rsa', size: 2048 }, ca: { pathlen: 0, pathlenzero: true } }, args: ['-initca'], expect: (k) => assert.equal(k.extensions.get('X509v3 Basic Constraints'), 'CA:TRUE, pathlen:0 (critical)') },
  { name: 'noname', request: { CN: 'noname', key: { algo: 'rsa', size: 2048 }, names: [] }, args: ['-initca'], expect: (k) => assert.equal(k.subject, 'CN = noname') },
  { name: 'nocn', request: { key: { algo: 'rsa', size: 2048 }, names: [{ O: 'a' }] }, args: ['-initca'], expect: (k) => assert.equal(k.subject, 'O = a') },
  { name: 'string-types', request: { CN: 'star*cn', names: [{ O: 'a@b', OU: 'm&n', L: 'Zürich', ST: 'q?r=s' }], key: { algo: 'ecdsa', size: 256 } }, args: ['-initca'] },
  { name: 'ec-leaf under an ECDSA CA', request: { CN: 'ec-leaf', hosts: ['127.0.0.1', 'kubernetes'], key: { algo: 'ecdsa', size: 256 }, names: AGG_NAMES }, args: ['-ca=ec-ca.pem', '-ca-key=ec-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator'], expect: (k) => assert.equal(k.extensions.get('X509v3 Key Usage'), 'Digital Signature, Key Encipherment (critical)') },
  { name: 'rsa leaf under an ECDSA CA', request: { CN: 'aggregator', hosts: SEED_HOSTS, key: { algo: 'rsa', size: 2048 }, names: AGG_NAMES }, args: ['-ca=ec-ca.pem', '-ca-key=ec-ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator'], expect: (k) => assert.equal(k.signatureAlgorithm, 'ecdsa-with-SHA256') },
  { name: 'leaf under an RSA-4096 CA', request: { CN: 'aggregator', hosts: SEED_HOSTS, key: { algo: 'rsa', size: 2048 }, names: AGG_NAMES }, args: ['-ca=r4096.pem', '-ca-key=r4096-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator'], expect: (k) => assert.equal(k.signatureAlgorithm, 'sha512WithRSAEncryption') },
  { name: 'nohosts', request: { CN: 'admin', key: { algo: 'rsa', size: 2048 }, names: [{ C: 'CN', ST: 'BeiJing', L: 'BeiJing', O: 'system:masters', OU: 'System' }] }, args: ['-ca=ca.pem', '-ca-key=ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator'], expect: (k) => assert.equal(k.extensions.has('X509v3 Subject Alternative Name'), false) },
  { name: 'mixed names and host kinds', request: { CN: 'mixed', hosts: ['foo@example.com', '10.0.0.2', '::1', 'www.example.com', '*.example.com'], key: { algo: 'rsa', size: 2048 }, names: [{ C: 'CN', O: 'a_b' }, { O: 'second', OU: 'ou2' }] }, args: ['-ca=ca.pem', '-ca-key=ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator'], expect: (k) => assert.equal(k.subject, 'C = CN, O = a_b + O = second, OU = ou2, CN = mixed') },
  { name: 'hostflag', request: { CN: 'aggregator', hosts: SEED_HOSTS, key: { algo: 'rsa', size: 2048 }, names: AGG_NAMES }, args: ['-ca=ca.pem', '-ca-key=ca-key.pem', '-config=aggregator-ca-config.json', '-profile=aggregator', '-hostname=h1.example,10.1.1.1'], expect: (k) => assert.equal(k.extensions.get('X509v3 Subject Alternative Name'), 'DNS:h1.example, IP Address:10.1.1.1') },
  { name: 'bogus2 (unknown usage word ignored)', request: { CN: 'bogus2', hosts: ['a.example'], key: { algo: 'rsa', size: 2048 } }, config: { signing: { default: { expiry: '8760h' }, profiles: { p: { usages: ['bogus', 'server auth'], expiry: '1h' } } } }, args: ['-ca=ca.pem', '-ca-key=ca-key.pem', '-config=cfg.json', '-profile=p'], expect: (k) => assert.equal(k.extensions.has('X509v3 Key Usage'), false) },
  { name: 'noconfig (built-in default policy)', request: { CN: 'noconfig', hosts: ['a.example'], key: { algo: 'rsa', size: 2048 } }, args: ['-ca=ca.pem', '-ca-key=ca-key.pem'], expect: (k) => assert.equal(k.notAfter.getTime() - k.notBefore.getTime(), 8760 * 3600_000) },
  { name: 'intermediate CA profile (ca_constraint)', request: { CN: 'intermediate', key: { algo: 'rsa', size: 2048 } }, config: { signing: { profiles: { i: { usages: ['cert sign', 'crl sign'], expiry: '1h', ca_constraint: { is_ca: true, max_path_len: 0, max_path_len_zero: true } } } } }, args: ['-ca=ca.pem', '-ca-key=ca-key.pem', '-config=cfg.json', '-profile=i'], expect: (k) => assert.equal(k.extensions.get('X509v3 Basic Constraints'), 'CA:TRUE, pathlen:0 (critical)') },
];

// CAs shared by the leaf variants, made once by the real cfssl.
let caDir = '';
before(() => {
  if (TOOLS.skip) return;
  caDir = mkdtempSync(join(tmpdir(), 'kagg-cfssl-cas-'));
  for (const [base, req] of [['ca', { CN: 'aggregator', key: { algo: 'rsa', size: 2048 }, names: AGG_NAMES }], ['ec-ca', { CN: 'ec-ca', key: { algo: 'ecdsa', size: 256 }, names: AGG_NAMES }], ['r4096', { CN: 'r4096', key: { algo: 'rsa', size: 4096 } }]] as const) {
    writeFileSync(join(caDir, `${base}.json`), JSON.stringify(req));
    assert.equal(realPipe(['gencert', '-initca', `${base}.json`], base, caDir).json.code, 0);
  }
});

after(() => {
  if (caDir) rmSync(caDir, { recursive: true, force: true });
});

const COMPARED = ['X509v3 Key Usage', 'X509v3 Extended Key Usage', 'X509v3 Basic Constraints', 'X509v3 Subject Alternative Name'];

for (const v of VARIANTS) {
  test(`variant ${v.name}: kagg and cfssl agree`, TOOLS, async (t) => {
    const dir = seedDir(t);
    cpSync(caDir, dir, { recursive: true });
    writeFileSync(join(dir, 'req.json'), JSON.stringify(v.request));
    if (v.config) writeFileSync(join(dir, 'cfg.json'), JSON.stringify(v.config));
    const k = await kaggPipe(['gencert', ...v.args, 'req.json'], 'k', dir);
    const r = realPipe(['gencert', ...v.args, 'req.json'], 'r', dir);
    assert.equal(r.gen.code, 0, r.gen.stderr);
    assert.equal(k.gen.code, 0, k.gen.stderr);
    assert.equal(k.json.code, 0, k.json.stderr);
    assert.deepEqual(logMessages(k.gen.stderr), logMessages(r.gen.stderr), 'log lines');
    const kf = opensslFacts('k.pem', dir);
    const rf = opensslFacts('r.pem', dir);
    for (const field of ['subject', 'issuer', 'signatureAlgorithm', 'publicKey'] as const) assert.equal(kf[field], rf[field], field);
    assert.equal(kf.notAfter.getTime() - kf.notBefore.getTime(), rf.notAfter.getTime() - rf.notBefore.getTime(), 'validity period');
    for (const ext of COMPARED) assert.equal(kf.extensions.get(ext), rf.extensions.get(ext), ext);
    v.expect?.(kf);
  });
}

test('a URI host becomes a URI SAN in kagg (this cfssl build writes it as a DNS name)', TOOLS, async (t) => {
  const dir = seedDir(t);
  cpSync(caDir, dir, { recursive: true });
  writeFileSync(join(dir, 'req.json'), JSON.stringify({ CN: 'spiffe', hosts: ['spiffe://x/y', 'a.example'], key: { algo: 'rsa', size: 2048 } }));
  await kaggPipe(['gencert', '-ca=ca.pem', '-ca-key=ca-key.pem', 'req.json'], 'k', dir);
  realPipe(['gencert', '-ca=ca.pem', '-ca-key=ca-key.pem', 'req.json'], 'r', dir);
  assert.equal(opensslFacts('k.pem', dir).extensions.get('X509v3 Subject Alternative Name'), 'DNS:a.example, URI:spiffe://x/y');
  assert.equal(opensslFacts('r.pem', dir).extensions.get('X509v3 Subject Alternative Name'), 'DNS:spiffe://x/y, DNS:a.example');
});
