import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import type { TokenAuthenticator } from './authenticator.ts';
import { bearerTokenOf, createBearerAuthenticator, createWebSocketBearerAuthenticator, webSocketTokenOf } from './bearer.ts';

const known: TokenAuthenticator = async (t) => (t === 'good' ? { user: { name: 'alice', groups: [], extra: {} } } : null);
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

test('bearerTokenOf', () => {
  assert.equal(bearerTokenOf('Bearer abc'), 'abc');
  assert.equal(bearerTokenOf('bearer   abc '), 'abc');
  assert.equal(bearerTokenOf('Basic abc'), undefined);
  assert.equal(bearerTokenOf('Bearer'), undefined);
  assert.equal(bearerTokenOf(undefined), undefined);
});

test('bearer: no header is not mine; unknown token is an error', async () => {
  const auth = createBearerAuthenticator([known]);
  assert.equal(await auth(req({})), null);
  assert.equal(((await auth(req({ authorization: 'Bearer good' }))) as { user: { name: string } }).user.name, 'alice');
  assert.match(String(await auth(req({ authorization: 'Bearer bad' }))), /invalid bearer token/);
});

test('websocket protocol token: only on websocket upgrades; entry stripped after success', async () => {
  const proto = `base64url.bearer.authorization.k8s.io.${Buffer.from('good').toString('base64url')}`;
  assert.equal(webSocketTokenOf('websocket', `v4.channel.k8s.io, ${proto}`), 'good');
  assert.equal(webSocketTokenOf(undefined, proto), undefined);
  const auth = createWebSocketBearerAuthenticator([known]);
  const r = req({ upgrade: 'websocket', 'sec-websocket-protocol': `v4.channel.k8s.io, ${proto}` });
  assert.equal(((await auth(r)) as { user: { name: string } }).user.name, 'alice');
  assert.equal(r.headers['sec-websocket-protocol'], 'v4.channel.k8s.io');
  const bad = `base64url.bearer.authorization.k8s.io.${Buffer.from('bad').toString('base64url')}`;
  assert.ok((await auth(req({ upgrade: 'websocket', 'sec-websocket-protocol': bad }))) instanceof Error);
});
