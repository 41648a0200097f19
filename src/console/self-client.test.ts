import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createSecureContext } from 'node:tls';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey } from '../pki/mod.ts';
import { selfClient } from './self-client.ts';

async function selfSigned(cn: string): Promise<{ cert: string; key: string }> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await createSelfSignedCA({ key, subject: { CN: cn }, sans: { dns: ['localhost'], ip: ['127.0.0.1'] }, expiry: '1h' });
  return { cert: cert.pem, key: encodePrivateKeyPem(key, 'pkcs8') };
}

/**
 * A server that answers /echo with the Authorization it got and, on /self, calls itself
 * through selfClient. With `sniOther`, a client that sends SNI (the self client does) is
 * shown a different certificate than the one the first request saw: the pin must refuse it.
 */
async function start(t: { after(fn: () => unknown): void }, sniOther: boolean): Promise<{ url: string; echoes: string[] }> {
  const [main, other] = await Promise.all([selfSigned('kagg'), selfSigned('somebody-else')]);
  const echoes: string[] = [];
  const otherContext = createSecureContext(other);
  const server: Server = createServer({ ...main, ...(sniOther ? { SNICallback: (_name: string, cb: (err: Error | null, ctx?: ReturnType<typeof createSecureContext>) => void) => cb(null, otherContext) } : {}) }, (req, res) => {
    if (req.url === '/echo') {
      echoes.push(req.headers.authorization ?? '');
      res.end('echo');
      return;
    }
    const client = selfClient(req, 'the-token', { timeoutMs: 5_000 });
    if (!client) {
      res.writeHead(500).end('no client');
      return;
    }
    client.get('/echo').then((r) => res.end(`${r.status} ${r.body}`), (err: Error) => res.writeHead(502).end(err.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, echoes };
}

async function getSelf(url: string): Promise<{ status: number; text: string }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    // No servername: the first connection sees the main certificate.
    const req = request(`${url}/self`, { rejectUnauthorized: false, agent: false, servername: '' }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('selfClient: calls this server with the token', async (t) => {
  const s = await start(t, false);
  const r = await getSelf(s.url);
  assert.equal(r.text, '200 echo');
  assert.deepEqual(s.echoes, ['Bearer the-token']);
});

test('selfClient: a peer with another certificate gets no request and no token', async (t) => {
  const s = await start(t, true);
  const r = await getSelf(s.url);
  assert.equal(r.status, 502);
  assert.match(r.text, /not this server's certificate/);
  assert.deepEqual(s.echoes, []);
});
