import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './testing/test-server.ts';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

/** Reads newline-delimited events until `count` arrived or the stream ended. */
async function readEvents(res: Response, count: number): Promise<Array<{ type: string; object: Record<string, any> }>> {
  const reader = res.body!.getReader();
  const out: Array<{ type: string; object: Record<string, any> }> = [];
  let buf = '';
  const dec = new TextDecoder();
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      out.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
  }
  await reader.cancel();
  return out;
}

async function post(base: string, path: string, body: unknown, method = 'POST', type = 'application/json') {
  const res = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': type }, body: JSON.stringify(body) });
  return res.json() as Promise<Record<string, any>>;
}

test('watch streams ADDED, MODIFIED, DELETED after the list resourceVersion, as Table rows', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const ns = '/api/v1/namespaces/default/configmaps';
  await post(s.url, ns, { metadata: { name: 'before' } });
  const list = await (await fetch(`${s.url}${ns}`)).json();
  const res = await fetch(`${s.url}${ns}?resourceVersion=${list.metadata.resourceVersion}&watch=true&timeoutSeconds=5`, { headers: { Accept: TABLE } });
  assert.equal(res.status, 200);
  const events = readEvents(res, 3);
  await post(s.url, ns, { metadata: { name: 'w' }, data: { a: '1' } });
  await post(s.url, `${ns}/w`, { data: { a: '2' } }, 'PATCH', 'application/merge-patch+json');
  await fetch(`${s.url}${ns}/w`, { method: 'DELETE' });
  const got = await events;
  assert.deepEqual(got.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  assert.equal(got[0].object.kind, 'Table');
  assert.ok(Array.isArray(got[0].object.columnDefinitions));
  assert.equal(got[1].object.columnDefinitions, null);
  assert.equal(got[1].object.rows[0].cells[0], 'w');
});

test('watch from "0" sends the current state first; a field selector filters by name', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const ns = '/api/v1/namespaces/default/configmaps';
  await post(s.url, ns, { metadata: { name: 'x' } });
  await post(s.url, ns, { metadata: { name: 'y' } });
  const res = await fetch(`${s.url}${ns}?fieldSelector=metadata.name%3Dx&resourceVersion=0&watch=true&timeoutSeconds=5`);
  const events = readEvents(res, 2);
  await post(s.url, `${ns}/y`, { data: { b: '1' } }, 'PATCH', 'application/merge-patch+json');
  await post(s.url, `${ns}/x`, { data: { a: '1' } }, 'PATCH', 'application/merge-patch+json');
  const got = await events;
  assert.deepEqual(got.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED x', 'MODIFIED x']);
});

test('timeoutSeconds ends the stream cleanly', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const started = Date.now();
  const res = await fetch(`${s.url}/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1`);
  const got = await readEvents(res, 100);
  assert.deepEqual(got, []);
  assert.ok(Date.now() - started < 4000);
});

test('a compacted resourceVersion is an ERROR event carrying 410 Expired', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const ns = '/api/v1/namespaces/default/configmaps';
  for (const name of ['a', 'b', 'c']) await post(s.url, ns, { metadata: { name } });
  await s.store.compact(await s.store.currentRevision());
  const res = await fetch(`${s.url}${ns}?resourceVersion=2&watch=true&timeoutSeconds=5`);
  assert.equal(res.status, 200);
  const got = await readEvents(res, 1);
  assert.equal(got[0].type, 'ERROR');
  assert.equal(got[0].object.kind, 'Status');
  assert.equal(got[0].object.code, 410);
  assert.equal(got[0].object.reason, 'Expired');
  assert.match(got[0].object.message, /too old resource version/);
});

test('the deprecated /watch/ path prefix watches one object', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await post(s.url, '/api/v1/namespaces/default/configmaps', { metadata: { name: 'one' } });
  await post(s.url, '/api/v1/namespaces/default/configmaps', { metadata: { name: 'two' } });
  const res = await fetch(`${s.url}/api/v1/watch/namespaces/default/configmaps/one?timeoutSeconds=5`);
  const got = await readEvents(res, 1);
  assert.deepEqual(got.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED one']);
});

test('sendInitialEvents: current objects, then a BOOKMARK marking the end of initial events', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const ns = '/api/v1/namespaces/default/configmaps';
  await post(s.url, ns, { metadata: { name: 'i1' } });
  const bad = await fetch(`${s.url}${ns}?watch=1&sendInitialEvents=true`);
  assert.equal(bad.status, 422);
  const res = await fetch(`${s.url}${ns}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=&timeoutSeconds=5`);
  const got = await readEvents(res, 2);
  assert.deepEqual(got.map((e) => e.type), ['ADDED', 'BOOKMARK']);
  assert.equal(got[1].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
});

test('watch as PartialObjectMetadata (the garbage collector form)', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await post(s.url, '/api/v1/namespaces/default/configmaps', { metadata: { name: 'm' }, data: { secret: 'x' } });
  const res = await fetch(`${s.url}/api/v1/configmaps?watch=1&timeoutSeconds=5`, { headers: { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' } });
  const got = await readEvents(res, 1);
  assert.equal(got[0].object.kind, 'PartialObjectMetadata');
  assert.equal(got[0].object.metadata.name, 'm');
  assert.equal(got[0].object.data, undefined);
});
