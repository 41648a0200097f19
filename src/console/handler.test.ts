import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { withConsole } from './handler.ts';
import { CONSOLE_CSP } from './paths.ts';
import type { StaticAsset } from './static-assets.ts';

const ASSETS = new Map<string, StaticAsset>([
  ['index.html', { body: Buffer.from('<!doctype html><title>t</title>'), contentType: 'text/html; charset=utf-8', immutable: false }],
  ['static/a.js', { body: Buffer.from('export {}'), contentType: 'text/javascript; charset=utf-8', immutable: true }],
]);

async function serve(t: { after(fn: () => unknown): void }, certDir?: string): Promise<string> {
  const handler = withConsole((_req, res) => {
    res.writeHead(418);
    res.end('next');
  }, { assets: ASSETS, certDir });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function get(base: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('withConsole: routes, headers and refusals', async (t) => {
  const base = await serve(t);
  const cases = [
    { name: 'index', path: '/console/', status: 200, body: /doctype/ },
    { name: 'asset', path: '/console/static/a.js', status: 200, body: /export/ },
    { name: 'query ignored', path: '/console/?x=1', status: 200, body: /doctype/ },
    { name: 'redirect', path: '/console', status: 301 },
    { name: 'missing asset', path: '/console/static/b.js', status: 404, body: /NotFound/ },
    { name: 'dot segments', path: '/console/static/../index.html', status: 404 },
    { name: 'encoded dot segments', path: '/console/static/%2e%2e/api/certificates', status: 404 },
    { name: 'no cert dir', path: '/console/api/certificates', status: 503, body: /without --cert-dir/ },
    { name: 'unknown api', path: '/console/api/x', status: 404 },
    { name: 'not the console', path: '/consoles', status: 418 },
    { name: 'api passes', path: '/apis', status: 418 },
  ];
  for (const c of cases) {
    const r = await get(base, c.path);
    assert.equal(r.status, c.status, c.name);
    if (c.body) assert.match(r.text, c.body, c.name);
    if (c.status !== 418) assert.equal(r.headers['content-security-policy'] ?? CONSOLE_CSP, CONSOLE_CSP, c.name);
  }
  const index = await get(base, '/console/');
  assert.equal(index.headers['content-security-policy'], CONSOLE_CSP);
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.match(String((await get(base, '/console/static/a.js')).headers['cache-control']), /immutable/);
  assert.equal((await get(base, '/console/', 'DELETE')).status, 405);
  assert.equal((await get(base, '/console/', 'HEAD')).status, 200);
});
