// kagg serve without --tls-cert-file (a generated self-signed serving certificate, as
// kube-apiserver does), AlwaysAllow, and the /metrics it then exposes.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { test } from 'node:test';
import { startControlPlane } from '../../src/apiserver/control-plane.ts';
import { parseServeArgs, resolveOptions } from '../../src/apiserver/options.ts';

function get(url: string): Promise<{ status: number; body: string; cert: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      const cert = new X509Certificate((res.socket as TLSSocket).getPeerCertificate().raw);
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cert }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('no serving flags: a self-signed certificate for localhost and 127.0.0.1; metrics count requests', async (t) => {
  const options = resolveOptions(parseServeArgs(['--bind-address=127.0.0.1', '--secure-port=0', '--storage=memory', '--authorization-mode=AlwaysAllow']).flags, { cwd: process.cwd() });
  const lines: string[] = [];
  const plane = await startControlPlane(options, { log: (l) => lines.push(l) });
  t.after(() => plane.close());
  const version = await get(`${plane.server.url}/version`);
  assert.equal(version.status, 200);
  assert.equal(version.cert.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(version.cert.checkHost('localhost'), 'localhost');
  // anonymous with AlwaysAllow may list; the registry answers
  assert.equal((await get(`${plane.server.url}/api/v1/namespaces`)).status, 200);
  assert.equal((await get(`${plane.server.url}/api/v1/namespaces/nope`)).status, 404);
  const metrics = await get(`${plane.server.url}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /apiserver_request_total\{verb="LIST",dry_run="",group="",version="v1",resource="namespaces",subresource="",scope="cluster",component="apiserver",code="200"\} 1/);
  assert.match(metrics.body, /apiserver_request_total\{verb="GET",.*resource="namespaces",subresource="",scope="resource",component="apiserver",code="404"\} 1/);
  assert.match(metrics.body, /apiserver_request_duration_seconds_bucket/);
});
