// The A.7 rules of initCertTree on small ECDSA trees: what is kept, what is written, and
// what is refused before anything is written.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodePrivateKeyPem, generateKey } from '../mod.ts';
import { initCertTree, type InitCertTreeOptions } from './init-tree.ts';

const OPTS = { nodeName: 'n1', advertiseAddress: '10.0.0.5', keyAlgorithm: 'ecdsa-p256' } as const satisfies Partial<InitCertTreeOptions>;

describe('initCertTree on existing files', () => {
  let root: string;
  let base: string;
  let n = 0;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kagg-init-tree-'));
    base = join(root, 'base');
    await initCertTree({ certDir: base, ...OPTS });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const copy = () => {
    const dir = join(root, `c${n++}`);
    cpSync(base, dir, { recursive: true });
    return dir;
  };
  const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

  test('a missing sa.pub is written again from sa.key; the key is kept', async () => {
    const dir = copy();
    const pub = read(dir, 'sa.pub');
    const key = read(dir, 'sa.key');
    unlinkSync(join(dir, 'sa.pub'));
    const report = await initCertTree({ certDir: dir, ...OPTS });
    assert.deepEqual(report.written, ['sa.pub']);
    assert.equal(read(dir, 'sa.pub'), pub);
    assert.equal(read(dir, 'sa.key'), key);
  });

  test('sa.pub that is not the half of sa.key is refused', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'sa.key'), encodePrivateKeyPem(await generateKey({ algo: 'ecdsa', size: 256 })));
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS }), /sa\.pub is not the public half of sa\.key/);
  });

  test('an unparsable sa.key is an error naming it', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'sa.key'), 'garbage\n');
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS }), /^CertTreeError: sa\.key: not a PEM private key/);
  });

  test('a CA key that does not match its certificate is refused', async () => {
    const dir = copy();
    cpSync(join(dir, 'front-proxy-ca.key'), join(dir, 'ca.key'));
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS }), /ca\.key does not match ca\.crt/);
  });

  test('a CA key without its certificate is refused', async () => {
    const dir = copy();
    unlinkSync(join(dir, 'etcd/ca.crt'));
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS }), /etcd\/ca\.key exists but etcd\/ca\.crt does not/);
  });

  test('leaves whose CA is gone are refused instead of making a CA that did not sign them', async () => {
    const dir = copy();
    unlinkSync(join(dir, 'front-proxy-ca.crt'));
    unlinkSync(join(dir, 'front-proxy-ca.key'));
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS }), /front-proxy-client\.crt exists but its CA front-proxy-ca\.crt does not/);
    assert.equal(existsSync(join(dir, 'front-proxy-ca.crt')), false, 'nothing written');
  });

  test('an external CA (certificate without key) keeps its existing leaves', async () => {
    const dir = copy();
    unlinkSync(join(dir, 'etcd/ca.key'));
    const lines: string[] = [];
    const report = await initCertTree({ certDir: dir, ...OPTS, log: (l) => lines.push(l) });
    assert.deepEqual(report.written, []);
    assert.ok(!report.reused.includes('etcd/ca.key'));
    assert.ok(lines.includes('[certs] Using existing etcd/ca certificate authority (external: no etcd/ca.key)'));
  });

  test('an external CA cannot sign a missing leaf', async () => {
    const dir = copy();
    unlinkSync(join(dir, 'etcd/ca.key'));
    unlinkSync(join(dir, 'etcd/peer.crt'));
    unlinkSync(join(dir, 'etcd/peer.key'));
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS }), /etcd\/peer\.crt is missing and its CA etcd\/ca\.crt has no etcd\/ca\.key \(external CA\)/);
  });

  test('a leaf with its key swapped for another is refused', async () => {
    const dir = copy();
    cpSync(join(dir, 'apiserver-kubelet-client.key'), join(dir, 'apiserver.key'));
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS }), /apiserver\.key does not match apiserver\.crt/);
  });

  test('a leaf is not signed again when only the node name differs from what it covers', async () => {
    const dir = copy();
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS, nodeName: 'other' }), /apiserver\.crt lacks SAN\(s\) DNS:other/);
  });

  test('bad options are refused before any file is read', async () => {
    const dir = join(root, 'never');
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS, serviceCidr: '10.96.0.0' }), /invalid service CIDR "10\.96\.0\.0"/);
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS, advertiseAddress: 'host' }), /invalid advertise address "host"/);
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS, dnsDomain: 'Bad_Domain' }), /invalid DNS domain "Bad_Domain"/);
    await assert.rejects(initCertTree({ certDir: dir, ...OPTS, controlPlaneEndpoint: 'https://lb:6443' }), /invalid control-plane endpoint/);
    assert.equal(existsSync(dir), false);
  });
});
