// Upgrade tunnelling on loopback TLS: a WebSocket client → a front server that delivers
// 'upgrade' through a tiny chain (user set) → proxyRequest → an mTLS WebSocket backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';
import { withUser, type Handler } from '../../apiserver/request/context.ts';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey, signCertificate, type CertificateAuthority } from '../../pki/mod.ts';
import { handleUpgrades } from '../mod.ts';
import { proxyRequest } from './handler.ts';
import type { RouteSnapshot } from './snapshot.ts';
import { createTransportPool } from './transport.ts';

async function ca(cn: string): Promise<CertificateAuthority & { pem: string }> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const c = await createSelfSignedCA({ key, subject: { CN: cn }, expiry: '1h' });
  return { cert: c.pem, key, pem: c.pem };
}

async function leaf(issuer: CertificateAuthority, cn: string, usage: 'client' | 'server', dns?: string[], ip?: string[]) {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const c = await signCertificate({ ca: issuer, publicKey: key, subject: { CN: cn }, sans: { dns, ip }, keyUsage: ['digitalSignature'], extKeyUsage: [usage === 'client' ? 'clientAuth' : 'serverAuth'], expiry: '1h' });
  return { cert: c.pem, key: encodePrivateKeyPem(key, 'pkcs8') };
}

test('WebSocket and SPDY upgrades tunnelled both ways with identity headers; 403 relayed; non-101 ⇒ 503', async (t) => {
  const [proxyCA, backendCA, frontCA] = await Promise.all([ca('front-proxy-ca'), ca('backend-ca'), ca('front-ca')]);
  const [proxyClient, backendServing, frontServing] = await Promise.all([
    leaf(proxyCA, 'front-proxy-client', 'client'),
    leaf(backendCA, 'api.wardle.svc', 'server', ['api.wardle.svc']),
    leaf(frontCA, 'front', 'server', ['localhost'], ['127.0.0.1']),
  ]);

  // Backend: WebSocket echo on /ws that reports the identity it saw; 403 on /deny; 200 on /plain.
  const backend = createServer({ ...backendServing, ca: proxyCA.pem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('no upgrade here');
  });
  const wss = new WebSocketServer({ noServer: true });
  backend.on('upgrade', (req, socket, head) => {
    if (req.url === '/deny') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"kind":"Status"}');
      return;
    }
    if (req.url === '/spdy') {
      // Protocol-agnostic: answer 101 for SPDY/3.1 and echo raw bytes (what exec/port-forward need).
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Seen-User: ${req.headers['x-remote-user']}\r\n\r\n`);
      if (head.length > 0) socket.write(head);
      socket.pipe(socket);
      return;
    }
    if (req.url === '/plain') {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      return;
    }
    const seen = { user: req.headersDistinct['x-remote-user'], groups: req.headersDistinct['x-remote-group'], cn: (req.socket as TLSSocket).getPeerCertificate().subject?.CN, protocol: req.headers['sec-websocket-protocol'], remoteUserCount: req.rawHeaders.filter((h) => h.toLowerCase() === 'x-remote-user').length };
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(JSON.stringify(seen));
      ws.on('message', (m, binary) => ws.send(m, { binary }));
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => backend.close(() => r())));
  const port = (backend.address() as AddressInfo).port;

  const pool = createTransportPool();
  t.after(() => pool.close());
  const snap: RouteSnapshot = Object.freeze({
    name: 'v1.wardle', group: 'wardle', version: 'v1', local: false, available: true,
    service: { namespace: 'wardle', name: 'api', port: 443 }, serverName: 'api.wardle.svc',
    transport: pool.get({ serverName: 'api.wardle.svc', caBundle: Buffer.from(backendCA.pem), insecureSkipTLSVerify: false, clientCert: { cert: Buffer.from(proxyClient.cert), key: Buffer.from(proxyClient.key), generation: 1 } }),
    resolve: () => ({ host: '127.0.0.1', port }),
  });
  const chain: Handler = (req, res) => {
    withUser(req, { user: { name: 'alice', groups: ['dev', 'system:authenticated'], extra: {} } });
    return proxyRequest(req, res, snap, { local: (_q, s) => void s.end() });
  };
  const front = createServer(frontServing, chain);
  handleUpgrades(front, chain);
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => {
    front.closeAllConnections();
    front.close(() => r());
  }));
  const frontPort = (front.address() as AddressInfo).port;

  const ws = new WebSocket(`wss://127.0.0.1:${frontPort}/ws`, ['v5.channel.k8s.io'], { ca: frontCA.pem, headers: { 'X-Remote-User': 'mallory' } });
  const messages: Buffer[] = [];
  const first = new Promise<string>((resolve, reject) => {
    ws.once('message', (m: Buffer) => resolve(m.toString()));
    ws.once('error', reject);
  });
  const seen = JSON.parse(await first) as { user: string[]; groups: string[]; cn: string; protocol: string; remoteUserCount: number };
  assert.deepEqual(seen, { user: ['alice'], groups: ['dev', 'system:authenticated'], cn: 'front-proxy-client', protocol: 'v5.channel.k8s.io', remoteUserCount: 1 });
  assert.equal(ws.protocol, 'v5.channel.k8s.io');
  const big = Buffer.alloc(1 << 20, 7);
  const echoed = new Promise<Buffer>((resolve) => ws.on('message', (m: Buffer) => {
    messages.push(m);
    if (m.length === big.length) resolve(m);
  }));
  ws.send(big);
  assert.ok((await echoed).equals(big));
  ws.close();

  // A SPDY upgrade: raw bytes both ways after the 101, whatever the protocol.
  const spdy = await new Promise<{ head: string; echoed: string }>((resolve, reject) => {
    const sock = tlsConnect({ host: '127.0.0.1', port: frontPort, ca: frontCA.pem, servername: 'localhost' }, () => {
      sock.write('POST /spdy HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n');
    });
    let buf = '';
    let sent = false;
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0 && !sent) {
        sent = true;
        sock.write(Buffer.from('\x80\x03\x00\x01frame-bytes', 'latin1'));
      }
      if (end >= 0 && buf.slice(end + 4).includes('frame-bytes')) {
        sock.destroy();
        resolve({ head: buf.slice(0, end), echoed: buf.slice(end + 4) });
      }
    });
    sock.on('error', reject);
  });
  assert.match(spdy.head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.match(spdy.head, /\r\nUpgrade: SPDY\/3\.1\r\n/);
  assert.match(spdy.head, /\r\nX-Seen-User: alice$/);
  assert.equal(spdy.echoed, '\x80\x03\x00\x01frame-bytes');

  // Backend refuses with 403: relayed verbatim.
  const denied = await new Promise<number>((resolve) => {
    const w = new WebSocket(`wss://127.0.0.1:${frontPort}/deny`, { ca: frontCA.pem });
    w.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    w.on('error', () => {});
  });
  assert.equal(denied, 403);

  // Backend answers 200 to an upgrade: 503 `invalid upgrade response: status code 200`.
  const invalid = await new Promise<{ code: number; body: string }>((resolve) => {
    const w = new WebSocket(`wss://127.0.0.1:${frontPort}/plain`, { ca: frontCA.pem });
    w.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    w.on('error', () => {});
  });
  assert.deepEqual(invalid, { code: 503, body: 'invalid upgrade response: status code 200\n' });
});
