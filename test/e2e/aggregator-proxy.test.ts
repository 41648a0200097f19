// The authenticating proxy against a real HTTPS backend: identity headers for an x509
// user, a token user and an impersonated user; client-sent X-Remote-* never reaching the
// backend; watch streaming; redirects refused; discovery and OpenAPI aggregation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRequest, TEST_TOKENS } from '../support/apiserver.ts';
import { apiService, createAPIService, eventually, GROUP, makeCA, makeLeaf, readAPIService, registerService, SERVER_NAME, startBackend, startStack, VERSION, type Backend, type Stack } from './aggregator-fixture.ts';

const LIST_PATH = `/apis/${GROUP}/${VERSION}/namespaces/default/flunders`;

async function setup(t: { after: (fn: () => Promise<void>) => void }, backendOptions: { v2Only?: boolean } = {}): Promise<{ stack: Stack; backend: Backend; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-agg-proxy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [proxyCA, servingCA] = await Promise.all([makeCA('front-proxy-ca'), makeCA('wardle-ca')]);
  const [proxyClient, serving] = await Promise.all([makeLeaf(proxyCA, 'front-proxy-client', 'client'), makeLeaf(servingCA, SERVER_NAME, 'server', [SERVER_NAME])]);
  await writeFile(join(dir, 'proxy.crt'), proxyClient.cert);
  await writeFile(join(dir, 'proxy.key'), proxyClient.key);
  const backend = await startBackend({ serving, clientCA: proxyCA.pem, ...backendOptions });
  t.after(() => backend.stop());
  const stack = await startStack(dir, { proxyClientCertFile: join(dir, 'proxy.crt'), proxyClientKeyFile: join(dir, 'proxy.key') });
  t.after(() => stack.stop());
  await registerService(stack.store, backend.port);
  await createAPIService(stack.store, apiService(VERSION, GROUP, 2000, 200, { name: 'api', port: backend.port, caBundle: Buffer.from(servingCA.pem).toString('base64') }));
  await eventually('APIService Available', 20_000, async () => {
    const s = await readAPIService(stack.store, `${VERSION}.${GROUP}`);
    const c = s.status?.conditions?.find((x) => x.type === 'Available');
    return c?.status === 'True' && stack.aggregator.routes.byName(`${VERSION}.${GROUP}`)?.available ? c : undefined;
  });
  return { stack, backend, dir };
}

function lastListRequest(backend: Backend) {
  const r = [...backend.requests].reverse().find((x) => x.path.startsWith(LIST_PATH));
  assert.ok(r, 'backend saw the list request');
  return r;
}

test('identity headers reach the backend exactly; client X-Remote-* never do', async (t) => {
  const { stack, backend } = await setup(t);
  const s = stack.server;
  const status = await readAPIService(stack.store, `${VERSION}.${GROUP}`);
  assert.deepEqual(status.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['Available', 'True', 'Passed', 'all checks passed']]);
  const probe = backend.requests.find((r) => r.path === `/apis/${GROUP}/${VERSION}`);
  assert.ok(probe);
  assert.deepEqual(backend.headerLines(probe, 'x-remote-user'), ['system:kube-aggregator']);
  assert.deepEqual(backend.headerLines(probe, 'x-remote-group'), ['system:masters']);
  assert.equal(probe.peerCN, 'front-proxy-client');

  // x509 user jane (O=devs), with forged identity headers and a bearer-less Authorization.
  let res = await apiRequest(s, LIST_PATH, { cert: s.pki.jane, headers: { 'X-Remote-User': 'admin', 'X-Remote-Group': 'system:masters', 'X-Remote-Extra-Scopes': 'evil', 'X-Remote-Uid': '0' } });
  assert.equal(res.status, 200, res.text);
  let r = lastListRequest(backend);
  assert.deepEqual(backend.headerLines(r, 'x-remote-user'), ['jane']);
  assert.deepEqual(backend.headerLines(r, 'x-remote-group'), ['devs', 'system:authenticated']);
  assert.deepEqual(backend.headerLines(r, 'x-remote-uid'), []);
  // The only extra is the one kagg's x509 authenticator adds; the forged one is gone.
  assert.deepEqual(backend.headerLines(r, 'x-remote-extra-scopes'), []);
  const extras = r.rawHeaders.filter((h, i) => i % 2 === 0 && /^x-remote-extra-/i.test(h)).map((h) => h.toLowerCase());
  assert.deepEqual(extras, extras.length ? ['x-remote-extra-authentication.kubernetes.io%2fcredential-id'] : []);
  assert.deepEqual(backend.headerLines(r, 'authorization'), []);
  assert.equal(r.peerCN, 'front-proxy-client');

  // Token user: uid and every group on its own line.
  res = await apiRequest(s, LIST_PATH, { token: TEST_TOKENS.jane, headers: { 'X-Remote-User': 'mallory' } });
  assert.equal(res.status, 200, res.text);
  r = lastListRequest(backend);
  assert.deepEqual(backend.headerLines(r, 'x-remote-user'), ['jane']);
  assert.deepEqual(backend.headerLines(r, 'x-remote-uid'), ['uid-jane']);
  assert.deepEqual(backend.headerLines(r, 'x-remote-group'), ['devs', 'qa', 'system:authenticated']);
  assert.deepEqual(backend.headerLines(r, 'authorization'), []);

  // Impersonated user: the backend sees the impersonated identity, never Impersonate-*.
  res = await apiRequest(s, LIST_PATH, { cert: s.pki.admin, headers: { 'Impersonate-User': 'bob', 'Impersonate-Group': ['g1', 'g2'], 'Impersonate-Extra-authentication.kubernetes.io%2Fpod-name': 'web-0' } });
  assert.equal(res.status, 200, res.text);
  r = lastListRequest(backend);
  assert.deepEqual(backend.headerLines(r, 'x-remote-user'), ['bob']);
  const groups = backend.headerLines(r, 'x-remote-group');
  assert.deepEqual(groups.filter((g) => g !== 'system:authenticated'), ['g1', 'g2']);
  assert.deepEqual(backend.headerLines(r, 'x-remote-extra-authentication.kubernetes.io%2Fpod-name'), ['web-0']);
  assert.deepEqual(r.rawHeaders.filter((h, i) => i % 2 === 0 && /^impersonate-/i.test(h)), []);
  // Forwarding headers.
  assert.deepEqual(backend.headerLines(r, 'x-forwarded-proto'), ['https']);
  assert.deepEqual(backend.headerLines(r, 'x-forwarded-uri'), [LIST_PATH]);
});

test('watch responses stream through the proxy; discovery and OpenAPI merge the backend', async (t) => {
  const { stack, backend } = await setup(t);
  const s = stack.server;
  // Watch: the first event arrives long before the stream ends (50 events, 100 ms apart).
  const started = Date.now();
  const firstChunkAt = await new Promise<number>((resolve, reject) => {
    const req = httpsRequest(new URL(`${LIST_PATH}?watch=1`, s.url), { ca: s.pki.ca.cert, cert: s.pki.admin.cert, key: s.pki.admin.key, agent: false }, (res) => {
      assert.equal(res.statusCode, 200);
      res.once('data', (chunk: Buffer) => {
        assert.match(chunk.toString(), /"type":"ADDED"/);
        resolve(Date.now() - started);
        req.destroy();
      });
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    req.end();
  });
  assert.ok(firstChunkAt < 3000, `first watch event after ${firstChunkAt} ms`);
  // The client went away: the proxied watch to the backend is closed too.
  await eventually('backend watch closed after client disconnect', 5_000, async () => (backend.watchesAborted() >= 1 ? true : undefined));

  // Legacy /apis lists the APIService's group; /apis/<group> answers APIGroup.
  let res = await apiRequest(s, '/apis', { cert: s.pki.admin });
  assert.equal(res.status, 200);
  const groups = (res.json().groups as Array<{ name: string }>).map((g) => g.name);
  assert.deepEqual(groups, ['apiregistration.k8s.io', GROUP]);
  res = await apiRequest(s, `/apis/${GROUP}`, { cert: s.pki.admin });
  assert.equal(res.json().kind, 'APIGroup');

  // Aggregated discovery v2 carries the backend's resources, with an ETag and 304.
  const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
  const doc = await eventually('aggregated discovery with backend resources', 10_000, async () => {
    const r = await apiRequest(s, '/apis', { cert: s.pki.admin, headers: { accept } });
    const items = r.json().items as Array<{ metadata: { name: string }; versions: Array<{ version: string; freshness: string; resources?: Array<{ resource: string }> }> }>;
    const w = items?.find((i) => i.metadata.name === GROUP);
    return w?.versions[0].resources?.length ? r : undefined;
  });
  assert.match(String(doc.headers['content-type']), /as=APIGroupDiscoveryList/);
  const etag = String(doc.headers.etag);
  assert.match(etag, /^"[0-9A-F]{128}"$/);
  const items = doc.json().items as Array<{ metadata: { name: string }; versions: Array<{ version: string; freshness: string; resources: Array<{ resource: string }> }> }>;
  assert.deepEqual(items.map((i) => i.metadata.name), [GROUP]);
  assert.equal(items[0].versions[0].freshness, 'Current');
  assert.deepEqual(items[0].versions[0].resources.map((x) => x.resource), ['flunders']);
  res = await apiRequest(s, '/apis', { cert: s.pki.admin, headers: { accept, 'if-none-match': etag } });
  assert.equal(res.status, 304);

  // OpenAPI v3 index lists the backend's group/version, and the document is proxied live.
  const index = await eventually('openapi v3 index', 10_000, async () => {
    const r = await apiRequest(s, '/openapi/v3', { cert: s.pki.admin });
    const paths = r.json().paths as Record<string, { serverRelativeURL: string }>;
    return paths?.[`apis/${GROUP}/${VERSION}`] ? paths : undefined;
  });
  res = await apiRequest(s, index[`apis/${GROUP}/${VERSION}`].serverRelativeURL, { cert: s.pki.admin });
  assert.equal(res.status, 200);
  assert.equal(res.json().openapi, '3.0.0');

  // OpenAPI v2: the backend's spec filtered to its group/version and merged.
  const v2 = await eventually('openapi v2 merged', 10_000, async () => {
    const r = await apiRequest(s, '/openapi/v2', { cert: s.pki.admin });
    return r.status === 200 && (r.json().paths as Record<string, unknown>)?.[`/apis/${GROUP}/${VERSION}/namespaces/{namespace}/flunders`] ? r.json() : undefined;
  });
  assert.equal((v2.paths as Record<string, unknown>)['/apis/other/v1/x'], undefined);
  assert.deepEqual(Object.keys(v2.definitions as Record<string, unknown>), ['Flunder']);

  // A request body is streamed to the backend intact (2 MiB, under the 3 MiB limit).
  const body = Buffer.alloc(2 * 1024 * 1024, 'x');
  res = await apiRequest(s, LIST_PATH, { cert: s.pki.admin, method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json(), { size: body.length, sha256: createHash('sha256').update(body).digest('hex'), contentType: 'application/json' });

  // A backend redirect is refused with 502 plain text (spec 2.10.4).
  res = await apiRequest(s, `/apis/${GROUP}/${VERSION}/redirect`, { cert: s.pki.admin });
  assert.deepEqual([res.status, res.text], [502, 'the backend attempted to redirect this request, which is not permitted\n']);
});

test('a v2-only backend: its OpenAPI v2 converted and served under /openapi/v3', async (t) => {
  const { stack } = await setup(t, { v2Only: true });
  const s = stack.server;
  const index = await eventually('converted v3 entry', 10_000, async () => {
    const r = await apiRequest(s, '/openapi/v3', { cert: s.pki.admin });
    return (r.json().paths as Record<string, { serverRelativeURL: string }>)?.[`apis/${GROUP}/${VERSION}`];
  });
  assert.match(index.serverRelativeURL, new RegExp(`^/openapi/v3/apis/${GROUP}/${VERSION}\\?hash=[0-9A-F]{128}$`));
  const doc = await apiRequest(s, index.serverRelativeURL, { cert: s.pki.admin });
  assert.equal(doc.status, 200);
  const body = doc.json() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
  assert.equal(body.openapi, '3.0.0');
  assert.deepEqual(Object.keys(body.paths), [`/apis/${GROUP}/${VERSION}/namespaces/{namespace}/flunders`]);
  assert.deepEqual(Object.keys(body.components.schemas), ['Flunder']);
  const again = await apiRequest(s, index.serverRelativeURL, { cert: s.pki.admin, headers: { 'if-none-match': String(doc.headers.etag) } });
  assert.equal(again.status, 304);
});

test('regression: 40 open watches through the proxy do not queue later requests (no per-backend connection cap)', async (t) => {
  // The test backend keeps each watch open for 5 s: every answer below must come well
  // before the first watches end, or requests are waiting for a pooled connection.
  const { stack } = await setup(t);
  const s = stack.server;
  const open: Array<{ destroy(): void }> = [];
  t.after(() => {
    for (const r of open) r.destroy();
  });
  const started = Date.now();
  const answered = Promise.all(Array.from({ length: 40 }, () => new Promise<number>((resolve, reject) => {
    const req = httpsRequest(new URL(`${LIST_PATH}?watch=1`, s.url), { ca: s.pki.ca.cert, cert: s.pki.admin.cert, key: s.pki.admin.key, agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`watch answered ${res.statusCode}`));
      else resolve(Date.now() - started);
      res.resume();
    });
    req.on('error', () => {});
    req.end();
    open.push(req);
  })));
  const times = await answered;
  assert.ok(Math.max(...times) < 3_000, `the slowest of 40 watches got its headers after ${Math.max(...times)} ms`);
  const before = Date.now();
  const res = await apiRequest(s, LIST_PATH, { cert: s.pki.admin });
  assert.equal(res.status, 200, res.text);
  assert.ok(Date.now() - before < 2_000, `a list behind 40 open watches took ${Date.now() - before} ms`);
});
