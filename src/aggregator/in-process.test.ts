import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestInfoOf, userOf, type Handler } from '../apiserver/request/context.ts';
import { invokeHandler } from './in-process.ts';

test('invokeHandler: headers, user and request info reach the handler; the answer is parsed', async () => {
  const seen: Record<string, unknown> = {};
  const handler: Handler = (req, res) => {
    seen.accept = req.headers.accept;
    seen.distinct = req.headersDistinct['x-multi'];
    seen.user = userOf(req)?.name;
    seen.path = requestInfoOf(req)?.path;
    res.writeHead(201, { 'content-type': 'application/json', etag: '"e1"' });
    res.write('{"a":');
    res.end('1}');
  };
  const r = await invokeHandler(handler, { path: '/apis?x=1', headers: { Accept: 'application/json;g=apidiscovery.k8s.io', 'X-Multi': 'v' }, user: { name: 'system:apiserver', groups: [], extra: {} } });
  assert.deepEqual(seen, { accept: 'application/json;g=apidiscovery.k8s.io', distinct: ['v'], user: 'system:apiserver', path: '/apis' });
  assert.equal(r.status, 201);
  assert.equal(r.headers['etag'], '"e1"');
  assert.deepEqual(JSON.parse(r.body.toString()), { a: 1 });
});

test('invokeHandler: a throwing handler rejects', async () => {
  await assert.rejects(invokeHandler(() => Promise.reject(new Error('boom')), { path: '/', user: { name: 'u', groups: [], extra: {} } }), /boom/);
});
