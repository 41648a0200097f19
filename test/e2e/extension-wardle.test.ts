// The wardle sample served by the SDK, talked to directly as kubernetes-admin through the
// front proxy identity: flunder CRUD, watch, server-side Table, discovery scoped to the
// group, OpenAPI, namespaces checked against the core server, and BanFlunder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { createAPIHandler } from '../../src/apiserver/registry/mod.ts';
import { apiRequest, startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { publishAuthConfigMap, startTestWardle, wardleRequest, type TestWardle } from '../support/extension.ts';

const BASE = '/apis/wardle.example.com/v1alpha1';
const FLUNDERS = `${BASE}/namespaces/default/flunders`;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

describe('wardle sample server', () => {
  let core: TestApiServer;
  let wardle: TestWardle;
  const admin = () => ({ cert: core.pki.frontProxy, headers: { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': 'system:masters' } });
  const call = (path: string, o: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    wardleRequest(core, wardle, path, { ...admin(), ...o, headers: { ...admin().headers, ...o.headers } });

  before(async () => {
    core = await startTestApiServer({ createApi: createAPIHandler });
    await publishAuthConfigMap(core);
    wardle = await startTestWardle({ core, overrides: { bannedFlunders: ['forbidden-by-flag'] } });
  });
  after(async () => {
    await wardle?.close();
    await core?.close();
  });

  it('creates, lists, gets, patches and deletes a flunder (the upstream e2e sequence)', async () => {
    const body = { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { labels: { 'sample-label': 'true' }, name: 'rest-flunder-1', namespace: 'default' } };
    const created = await call(FLUNDERS, { body });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json().kind, 'Flunder');
    assert.equal(created.json().apiVersion, 'wardle.example.com/v1alpha1');
    const list = await call(FLUNDERS);
    assert.equal(list.json().kind, 'FlunderList');
    assert.equal((list.json().items as unknown[]).length, 1);
    const patched = await call(`${FLUNDERS}/rest-flunder-1`, { method: 'PATCH', body: { spec: { referenceType: 'Flunder', reference: 'other' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json().spec, { referenceType: 'Flunder', reference: 'other' });
    const deleted = await call(`${FLUNDERS}/rest-flunder-1`, { method: 'DELETE' });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(((await call(FLUNDERS)).json().items as unknown[]).length, 0);
  });

  it('validates the spec as upstream', async () => {
    const r = await call(FLUNDERS, { body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'bad-ref' }, spec: { referenceType: 'Other' } } });
    assert.equal(r.status, 422, r.text);
    assert.match(String(r.json().message), /spec.referenceType: Invalid value: "Other": must be Flunder or Fischer/);
    const beta = await call('/apis/wardle.example.com/v1beta1/namespaces/default/flunders', { body: { apiVersion: 'wardle.example.com/v1beta1', kind: 'Flunder', metadata: { name: 'bad-ref' }, spec: { referenceType: 'Flunder', flunderReference: 'a', fischerReference: 'b' } } });
    assert.equal(beta.status, 422, beta.text);
    assert.match(String(beta.json().message), /spec.fischerReference: Invalid value: "b": cannot be set with flunderReference at the same time/);
  });

  it('serves a Table with the flunder columns', async () => {
    await call(FLUNDERS, { body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'table-one' }, spec: { referenceType: 'Fischer', reference: 'fish' } } });
    const t = await call(FLUNDERS, { headers: { accept: TABLE_ACCEPT } });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.json().kind, 'Table');
    assert.deepEqual((t.json().columnDefinitions as Array<{ name: string }>).map((c) => c.name), ['Name', 'Reference Type', 'Reference', 'Age']);
    const row = (t.json().rows as Array<{ cells: unknown[] }>).find((x) => x.cells[0] === 'table-one');
    assert.deepEqual(row?.cells.slice(0, 3), ['table-one', 'Fischer', 'fish']);
  });

  it('streams watch events', async () => {
    const url = new URL(`${FLUNDERS}?watch=true&timeoutSeconds=5`, wardle.url);
    const events: Array<{ type: string; object: { metadata: { name: string } } }> = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = httpsRequest(url, { ca: wardle.caBundle, cert: core.pki.frontProxy.cert, key: core.pki.frontProxy.key, headers: admin().headers, agent: false }, (res) => {
        assert.equal(res.statusCode, 200);
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            events.push(JSON.parse(buf.slice(0, nl)));
            buf = buf.slice(nl + 1);
            if (events.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'watched')) {
              req.destroy();
              resolve();
            }
          }
        });
        res.on('end', () => resolve());
      });
      req.on('error', (err) => (events.length > 0 ? resolve() : reject(err)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await call(FLUNDERS, { body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'watched' } } })).status, 201);
    assert.equal((await call(`${FLUNDERS}/watched`, { method: 'DELETE' })).status, 200);
    await done;
    const mine = events.filter((e) => e.object.metadata.name === 'watched').map((e) => e.type);
    assert.deepEqual(mine, ['ADDED', 'DELETED']);
  });

  it('refuses flunders named by a Fischer or by --banned-flunder (BanFlunder)', async () => {
    const fischer = await call(`${BASE}/fischers`, { body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Fischer', metadata: { name: 'fritz' }, disallowedFlunders: ['nope'] } });
    assert.equal(fischer.status, 201, fischer.text);
    for (const name of ['nope', 'forbidden-by-flag']) {
      const r = await call(FLUNDERS, { body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name } } });
      assert.equal(r.status, 403, r.text);
      assert.equal(r.json().message, `flunders.wardle.example.com "${name}" is forbidden: this name may not be used, please change the resource name`);
    }
    assert.equal((await call(FLUNDERS, { body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'fine' } } })).status, 201);
  });

  it('serves only its own group in discovery and OpenAPI', async () => {
    const groups = await call('/apis');
    assert.deepEqual((groups.json().groups as Array<{ name: string; preferredVersion: { version: string } }>).map((g) => g.name), ['wardle.example.com']);
    const resources = await call(BASE);
    assert.deepEqual((resources.json().resources as Array<{ name: string; namespaced: boolean }>).map((r) => [r.name, r.namespaced]).sort(), [['fischers', false], ['flunders', true]]);
    assert.equal((await call('/api')).status, 404);
    assert.equal((await call('/api/v1/namespaces')).status, 404);
    assert.equal((await call('/apis/rbac.authorization.k8s.io/v1/clusterroles')).status, 404);
    const root = await call('/openapi/v3');
    assert.deepEqual(Object.keys(root.json().paths as object).sort(), ['apis/wardle.example.com/v1alpha1', 'apis/wardle.example.com/v1beta1']);
    const doc = await call('/openapi/v3/apis/wardle.example.com/v1alpha1');
    const schemas = (doc.json().components as { schemas: Record<string, unknown> }).schemas;
    assert.ok(schemas['com.example.wardle.v1alpha1.Flunder']);
    assert.ok(schemas['com.example.wardle.v1alpha1.Fischer']);
    const v2 = await call('/openapi/v2');
    assert.equal(v2.status, 200, v2.text);
    const v2paths = Object.keys(v2.json().paths as object);
    assert.ok(v2paths.includes('/apis/wardle.example.com/v1alpha1/namespaces/{namespace}/flunders'), v2paths.join('\n'));
    assert.ok(v2paths.every((p) => p.startsWith('/apis/wardle.example.com/')), v2paths.join('\n'));
    const metrics = await call('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /apiserver_request_total\{[^}]*group="wardle.example.com"[^}]*resource="flunders"/);
  });

  it('creates flunders only in namespaces that exist in the core server', async () => {
    const path = `${BASE}/namespaces/team-a/flunders`;
    const body = { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'f1' } };
    const missing = await call(path, { body });
    assert.equal(missing.status, 404, missing.text);
    assert.match(String(missing.json().message), /namespaces "team-a" not found/);
    const ns = await apiRequest(core, '/api/v1/namespaces', { cert: core.pki.admin, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } });
    assert.equal(ns.status, 201, ns.text);
    const created = await call(path, { body });
    assert.equal(created.status, 201, created.text);
  });
});

describe('wardle versions', () => {
  let core: TestApiServer;
  let wardle: TestWardle;
  const call = (path: string, o: { method?: string; body?: unknown } = {}) =>
    wardleRequest(core, wardle, path, { cert: core.pki.frontProxy, headers: { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': 'system:masters' }, ...o });

  before(async () => {
    core = await startTestApiServer({ createApi: createAPIHandler });
    await publishAuthConfigMap(core);
    wardle = await startTestWardle({ core });
  });
  after(async () => {
    await wardle?.close();
    await core?.close();
  });

  it('converts flunders between v1alpha1 and v1beta1 (stored as v1beta1)', async () => {
    const alpha = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';
    const beta = '/apis/wardle.example.com/v1beta1/namespaces/default/flunders';
    const created = await call(alpha, { body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'conv' }, spec: { referenceType: 'Fischer', reference: 'fish' } } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json().spec, { referenceType: 'Fischer', reference: 'fish' });
    const asBeta = await call(`${beta}/conv`);
    assert.equal(asBeta.json().apiVersion, 'wardle.example.com/v1beta1');
    assert.deepEqual(asBeta.json().spec, { referenceType: 'Fischer', fischerReference: 'fish' });
    const updated = await call(`${beta}/conv`, { method: 'PUT', body: { ...asBeta.json(), spec: { referenceType: 'Flunder', flunderReference: 'other' } } });
    assert.equal(updated.status, 200, updated.text);
    const asAlpha = await call(`${alpha}/conv`);
    assert.deepEqual(asAlpha.json().spec, { referenceType: 'Flunder', reference: 'other' });
    const stored = await wardle.server?.store.get('/registry/wardle.example.com/flunders/default/conv');
    assert.equal(stored?.apiVersion, 'wardle.example.com/v1beta1');
    assert.deepEqual(stored?.spec, { referenceType: 'Flunder', flunderReference: 'other' });
    const list = await call(alpha);
    assert.deepEqual((list.json().items as Array<{ spec: unknown }>).map((i) => i.spec), [{ referenceType: 'Flunder', reference: 'other' }]);
  });
});
