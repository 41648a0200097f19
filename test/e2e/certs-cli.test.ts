// `kagg certs` / `kagg kubeconfig` flag handling: one clear line on stderr, exit 1, no files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/bin.ts';
import { captureIO } from '../support/cli-io.ts';

async function kagg(...args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('kagg certs flags', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kagg-certs-cli-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const cases: { name: string; args: string[]; err: RegExp }[] = [
    { name: 'service CIDR without a prefix', args: ['--service-cidr', '10.96.0.0'], err: /^kagg certs: invalid service CIDR "10\.96\.0\.0": expected ADDRESS\/PREFIX/ },
    { name: 'advertise address that is not an IP', args: ['--advertise-address', 'master'], err: /^kagg certs: invalid advertise address "master": not an IP address/ },
    { name: 'control-plane endpoint given as a URL', args: ['--control-plane-endpoint', 'https://lb:6443'], err: /^kagg certs: invalid control-plane endpoint "https:\/\/lb:6443"/ },
    { name: 'unknown key algorithm', args: ['--key-algorithm', 'dsa'], err: /option '--key-algorithm <algorithm>' argument 'dsa' is invalid\. Allowed choices are rsa2048, rsa3072, rsa4096, ecdsa-p256/ },
    { name: 'DNS domain with upper case', args: ['--dns-domain', 'Cluster.Local'], err: /^kagg certs: invalid DNS domain "Cluster\.Local"/ },
  ];
  for (const c of cases) {
    test(`init refuses ${c.name}`, async () => {
      const dir = join(root, c.name.replace(/\W+/g, '-'));
      const r = await kagg('certs', 'init', '--cert-dir', dir, '--advertise-address', '10.0.0.1', ...c.args);
      assert.equal(r.code, 1);
      assert.match(r.err, c.err);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
      assert.equal(r.out, '');
      assert.equal(existsSync(dir), false, 'nothing written');
    });
  }

  test('--cert-dir is required', async () => {
    const r = await kagg('certs', 'check-expiration');
    assert.equal(r.code, 1);
    assert.match(r.err, /required option '--cert-dir <dir>' not specified/);
  });

  test('a relative --cert-dir is taken from the working directory', async () => {
    const io = captureIO({ cwd: root });
    const code = await main(['certs', 'init', '--cert-dir', 'rel/pki', '--advertise-address', '10.0.0.1', '--node-name', 'n', '--key-algorithm', 'ecdsa-p256'], io);
    assert.equal(code, 0, io.err());
    assert.ok(existsSync(join(root, 'rel/pki/ca.crt')));
    assert.match(io.out(), new RegExp(`Using certificateDir folder "${join(root, 'rel/pki')}"`));
  });

  test('kubeconfig refuses a server URL that is not https', async () => {
    const r = await kagg('kubeconfig', 'admin', '--cert-dir', join(root, 'rel/pki'), '--server', 'http://10.0.0.1:8080');
    assert.equal(r.code, 1);
    assert.match(r.err, /^kagg kubeconfig: invalid --server "http:\/\/10\.0\.0\.1:8080": the API server URL must use https\n$/);
  });

  test('help lists the sub-commands and exits 0', async () => {
    const r = await kagg('certs', '--help');
    assert.equal(r.code, 0);
    for (const sub of ['init', 'check-expiration', 'renew', 'verify', 'tree']) assert.match(r.out, new RegExp(`\\n  ${sub}\\b`));
  });

  test('--external-etcd: only the first five entries plus sa, and no etcd rows anywhere', async () => {
    const dir = join(root, 'ext-etcd', 'pki');
    const base = ['--cert-dir', dir, '--external-etcd'];
    const init = await kagg('certs', 'init', ...base, '--advertise-address', '10.0.0.1', '--node-name', 'n', '--key-algorithm', 'ecdsa-p256');
    assert.equal(init.code, 0, init.err);
    const generated = [...init.out.matchAll(/Generating "([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(generated, ['ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client', 'sa']);
    assert.equal(existsSync(join(dir, 'etcd')), false);
    assert.equal(existsSync(join(dir, 'apiserver-etcd-client.crt')), false);
    const table = await kagg('certs', 'check-expiration', ...base);
    assert.doesNotMatch(table.out, /etcd/);
    assert.match(table.out, /\nfront-proxy-client /);
    const verify = await kagg('certs', 'verify', ...base);
    assert.equal(verify.code, 0, verify.err);
    const renew = await kagg('certs', 'renew', 'all', ...base);
    assert.equal(renew.code, 0, renew.err);
    assert.doesNotMatch(renew.out, /serving etcd|etcd nodes|healthcheck etcd|access etcd/);
    assert.match(renew.out, /^certificate for serving the Kubernetes API renewed$/m);
    // without the flag the same dir is missing its etcd files
    const strict = await kagg('certs', 'verify', '--cert-dir', dir);
    assert.equal(strict.code, 1);
    assert.match(strict.err, /^error: etcd\/ca\.crt: missing/m);
  });

  test('the kagg binary runs certs init end to end', () => {
    const bin = fileURLToPath(new URL('../../bin/kagg.mjs', import.meta.url));
    const dir = join(root, 'bin-run');
    const r = spawnSync(process.execPath, [bin, 'certs', 'init', '--cert-dir', dir, '--advertise-address', '10.0.0.1', '--node-name', 'n', '--key-algorithm', 'ecdsa-p256'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\[certs\] Generating "sa" key and public key\n$/);
    const again = spawnSync(process.execPath, [bin, 'certs', 'verify', '--cert-dir', dir, '--advertise-address', '10.0.0.1', '--node-name', 'n'], { encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
  });
});
