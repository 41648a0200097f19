// The tree in real use by Go TLS stacks: etcd serves and peers with etcd/server and
// etcd/peer, etcdctl connects with the etcd client certs; kubectl talks to a TLS server
// holding apiserver.crt with an admin kubeconfig; cfssl-certinfo (Go crypto/x509) parses
// every file.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/bin.ts';
import { captureIO } from '../support/cli-io.ts';
import { freePort } from '../support/etcd.ts';
import { toolOptions } from '../support/tools.ts';

async function kagg(...args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a kagg tree used by etcd, etcdctl, kubectl and Go x509', () => {
  let root: string;
  let dir: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kagg-certs-tls-'));
    dir = join(root, 'pki');
    const r = await kagg('certs', 'init', '--cert-dir', dir, '--node-name', 'etcd-node', '--advertise-address', '127.0.0.1', '--key-algorithm', 'ecdsa-p256');
    assert.equal(r.code, 0, r.err);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('cfssl-certinfo (Go crypto/x509) parses every certificate with the expected names', toolOptions('cfssl-certinfo'), () => {
    const files = ['ca.crt', 'apiserver.crt', 'apiserver-kubelet-client.crt', 'front-proxy-ca.crt', 'front-proxy-client.crt', 'etcd/ca.crt', 'etcd/server.crt', 'etcd/peer.crt', 'etcd/healthcheck-client.crt', 'apiserver-etcd-client.crt'];
    for (const file of files) {
      const r = spawnSync('cfssl-certinfo', ['-cert', join(dir, file)], { encoding: 'utf8' });
      assert.equal(r.stderr, '', `${file}: ${r.stderr}`);
      const info = JSON.parse(r.stdout) as { subject: { common_name: string }; sans?: string[]; sigalg: string };
      assert.equal(info.sigalg, 'ECDSAWithSHA256', file);
      if (file === 'apiserver-kubelet-client.crt') assert.equal((info.subject as { organization?: string }).organization, 'kubeadm:cluster-admins');
    }
    const etcd = JSON.parse(spawnSync('cfssl-certinfo', ['-cert', join(dir, 'etcd/server.crt')], { encoding: 'utf8' }).stdout);
    assert.equal(etcd.subject.common_name, 'etcd-node');
    assert.deepEqual(etcd.sans, ['etcd-node', 'localhost', '127.0.0.1', '::1']);
  });

  test('etcd serves and peers with the etcd certs; etcdctl connects with the client certs', toolOptions('etcd', 'etcdctl'), async (t) => {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const client = `https://127.0.0.1:${clientPort}`;
    const peer = `https://127.0.0.1:${peerPort}`;
    const f = (name: string) => join(dir, name);
    let log = '';
    const etcd: ChildProcess = spawn('etcd', [
      '--name', 'etcd-node', '--data-dir', join(root, 'etcd-data'),
      '--listen-client-urls', client, '--advertise-client-urls', client,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `etcd-node=${peer}`,
      '--cert-file', f('etcd/server.crt'), '--key-file', f('etcd/server.key'), '--client-cert-auth', '--trusted-ca-file', f('etcd/ca.crt'),
      '--peer-cert-file', f('etcd/peer.crt'), '--peer-key-file', f('etcd/peer.key'), '--peer-client-cert-auth', '--peer-trusted-ca-file', f('etcd/ca.crt'),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    etcd.stderr?.on('data', (c: Buffer) => {
      log = (log + c.toString()).slice(-10_000);
    });
    t.after(async () => {
      if (etcd.exitCode === null && etcd.signalCode === null) {
        const gone = new Promise((r) => etcd.once('exit', r));
        etcd.kill('SIGTERM');
        const timer = setTimeout(() => etcd.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
    });
    const etcdctl = (cert: string, key: string, ...args: string[]) =>
      spawnSync('etcdctl', ['--endpoints', client, '--cacert', f('etcd/ca.crt'), '--cert', f(cert), '--key', f(key), '--dial-timeout', '2s', '--command-timeout', '3s', ...args], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });

    let health = etcdctl('etcd/healthcheck-client.crt', 'etcd/healthcheck-client.key', 'endpoint', 'health');
    for (let i = 0; i < 100 && health.status !== 0; i++) {
      assert.equal(etcd.exitCode, null, `etcd exited: ${log}`);
      await sleep(200);
      health = etcdctl('etcd/healthcheck-client.crt', 'etcd/healthcheck-client.key', 'endpoint', 'health');
    }
    assert.equal(health.status, 0, `${health.stderr}\n${log}`);
    assert.match(`${health.stdout}${health.stderr}`, /is healthy/);

    const put = etcdctl('apiserver-etcd-client.crt', 'apiserver-etcd-client.key', 'put', '/registry/kagg', 'ok');
    assert.equal(put.status, 0, put.stderr);
    const get = etcdctl('apiserver-etcd-client.crt', 'apiserver-etcd-client.key', 'get', '/registry/kagg', '--print-value-only');
    assert.equal(get.stdout.trim(), 'ok');

    // a client certificate from another CA is turned away
    const foreign = etcdctl('front-proxy-client.crt', 'front-proxy-client.key', 'get', '/registry/kagg');
    assert.notEqual(foreign.status, 0);
  });

  test('kubectl with the admin kubeconfig talks to a server holding apiserver.crt', toolOptions('kubectl'), async (t) => {
    const seen: { cn?: string | string[]; o?: string | string[] }[] = [];
    const server: Server = createServer(
      { cert: readFileSync(join(dir, 'apiserver.crt')), key: readFileSync(join(dir, 'apiserver.key')), ca: readFileSync(join(dir, 'ca.crt')), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seen.push({ cn: peer.subject?.CN, o: peer.subject?.O });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0', path: req.url }));
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as { port: number }).port;
    const conf = join(root, 'admin.conf');
    const made = await kagg('kubeconfig', 'admin', '--cert-dir', dir, '--server', `https://127.0.0.1:${port}`, '--out', conf);
    assert.equal(made.code, 0, made.err);
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn('kubectl', ['--kubeconfig', conf, '--request-timeout', '10s', 'get', '--raw', '/version'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (c: Buffer) => (stdout += c));
      p.stderr.on('data', (c: Buffer) => (stderr += c));
      p.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).path, /^\/version(\?|$)/);
    assert.ok(seen.length > 0);
    assert.deepEqual(seen.at(-1), { cn: 'kubernetes-admin', o: 'kubeadm:cluster-admins' });
  });
});
