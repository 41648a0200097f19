import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { serveHealth, type HealthChecks } from './health-routes.ts';

async function fetchAll(checks: HealthChecks, paths: string[]): Promise<{ status: number; body: string }[]> {
  const server = createServer(async (req, res) => {
    if (!(await serveHealth(req, res, checks))) {
      res.writeHead(418);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const out = [];
    for (const p of paths) {
      out.push(await new Promise<{ status: number; body: string }>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      }));
    }
    return out;
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test('health: ok, verbose detail, a failing check, one check, exclude, unknown path', async () => {
  let storageUp = true;
  const checks: HealthChecks = {
    livez: [{ name: 'ping', check: () => {} }],
    readyz: [{ name: 'ping', check: () => {} }, { name: 'etcd', check: () => { if (!storageUp) throw new Error('down'); } }],
  };
  const [plain, verbose, one, notFound, other] = await fetchAll(checks, ['/readyz', '/readyz?verbose', '/readyz/etcd', '/readyz/nope', '/version']);
  assert.deepEqual(plain, { status: 200, body: 'ok' });
  assert.deepEqual(verbose, { status: 200, body: '[+]ping ok\n[+]etcd ok\nreadyz check passed\n' });
  assert.deepEqual(one, { status: 200, body: 'ok' });
  assert.equal(notFound.status, 404);
  assert.equal(other.status, 418);
  storageUp = false;
  const [failing, excluded, live] = await fetchAll(checks, ['/readyz', '/readyz?exclude=etcd', '/livez']);
  assert.deepEqual(failing, { status: 500, body: '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n' });
  assert.deepEqual(excluded, { status: 200, body: 'ok' });
  assert.deepEqual(live, { status: 200, body: 'ok' });
});
