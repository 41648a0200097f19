import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './testing/test-server.ts';
import { encodeProtobuf } from '../protobuf/decode.ts';
import type { ActionContext } from './action.ts';

test('actions get the decoded protobuf body, the user and the URL namespace/name', async (t) => {
  const seen: ActionContext[] = [];
  const s = await startTestServer({
    actions: {
      'authorization.k8s.io/v1/selfsubjectaccessreviews': async (ctx) => {
        seen.push(ctx);
        return { ...ctx.body, status: { allowed: false, reason: 'no' } };
      },
      'v1/serviceaccounts/token': async (ctx) => {
        seen.push(ctx);
        return { ...ctx.body, status: { token: 'jwt', expirationTimestamp: '2026-11-28T18:00:00Z' } };
      },
    },
  });
  t.after(() => s.close());
  const pb = { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf,application/json' };
  const ssar = await fetch(`${s.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
    method: 'POST',
    headers: pb,
    body: new Uint8Array(encodeProtobuf('authorization.k8s.io/v1', 'SelfSubjectAccessReview', { metadata: {}, spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } } })),
  });
  assert.equal(ssar.status, 201);
  const body = await ssar.json();
  assert.equal(body.kind, 'SelfSubjectAccessReview');
  assert.equal(body.status.allowed, false);
  assert.deepEqual(seen[0].body.spec, { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } });
  assert.equal(seen[0].user.name, 'admin');

  const token = await fetch(`${s.url}/api/v1/namespaces/default/serviceaccounts/default/token`, {
    method: 'POST',
    headers: pb,
    body: new Uint8Array(encodeProtobuf('authentication.k8s.io/v1', 'TokenRequest', { metadata: {}, spec: { expirationSeconds: 600 } })),
  });
  assert.equal(token.status, 201);
  assert.equal((await token.json()).kind, 'TokenRequest');
  assert.equal(seen[1].namespace, 'default');
  assert.equal(seen[1].name, 'default');
  assert.equal(seen[1].body.kind, 'TokenRequest');

  const get = await fetch(`${s.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`);
  assert.equal(get.status, 405);
  const absent = await fetch(`${s.url}/apis/authentication.k8s.io/v1/tokenreviews`, { method: 'POST', body: '{}' });
  assert.equal(absent.status, 404, 'no action, not served');
});
