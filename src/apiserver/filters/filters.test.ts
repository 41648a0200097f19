// The filters one at a time, each in front of a recording handler on a plain HTTP server
// on 127.0.0.1:0 (TLS-specific behaviour is covered by test/e2e/apiserver-security).
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { UserInfo } from '../authn/user.ts';
import type { Attributes, Authorizer } from '../authz/authorizer.ts';
import { originalUserOf, requestInfoOf, signalOf, userOf, type Handler } from '../request/context.ts';
import { withAuthentication } from './authentication.ts';
import { withAuthorization } from './authorization.ts';
import { withImpersonation } from './impersonation.ts';
import { readBody, withMaxBodySize } from './max-body.ts';
import { withPanicRecovery } from './panic.ts';
import { withRequestInfo } from './request-info.ts';
import { queryTimeoutMs, withTimeout } from './timeout.ts';

interface Reply {
  status: number;
  body: string;
  json(): Record<string, unknown>;
}

async function call(handler: Handler, path: string, o: { method?: string; headers?: Record<string, string | string[]>; body?: string } = {}): Promise<Reply> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(o.body);
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const ok: Handler = (_req, res) => {
  res.writeHead(200);
  res.end('ok');
};

const jane: UserInfo = { name: 'jane', groups: ['devs', 'system:authenticated'], extra: {} };
const admin: UserInfo = { name: 'admin', groups: ['system:masters', 'system:authenticated'], extra: {} };

/** An authorizer from a list of allowed `user:verb:resource:name` strings. */
function allowList(allowed: string[], seen: Attributes[] = []): Authorizer {
  return async (a) => {
    seen.push(a);
    const key = `${a.user.name}:${a.verb}:${a.resource}${a.subresource ? `/${a.subresource}` : ''}:${a.name}`;
    return allowed.some((p) => key === p || (p.endsWith('*') && key.startsWith(p.slice(0, -1)))) ? { decision: 'allow', reason: '' } : { decision: 'no-opinion', reason: '' };
  };
}

test('panic recovery: a thrown error becomes a 500 Status and the server keeps serving', async () => {
  const r = await call(withPanicRecovery(() => {
    throw new Error('boom');
  }), '/x');
  assert.equal(r.status, 500);
  assert.equal(r.json().reason, 'InternalError');
});

test('authentication: failure is 401; success strips credentials and identity headers', async () => {
  let headers: IncomingHttpHeaders = {};
  const seen: Handler = (req, res) => {
    headers = { ...req.headers };
    res.end(userOf(req)?.name);
  };
  const denied = await call(withPanicRecovery(withAuthentication(seen, { authenticate: async () => new Error('bad') })), '/x');
  assert.equal(denied.status, 401);
  assert.deepEqual(denied.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  const passed = await call(withAuthentication(seen, { authenticate: async () => ({ user: jane }), requestHeader: { usernameHeaders: ['X-Proxy-User'] } }), '/x', {
    headers: { authorization: 'Bearer t', 'x-remote-user': 'evil', 'x-remote-extra-scopes': 'x', 'x-proxy-user': 'evil', accept: 'a' },
  });
  assert.equal(passed.body, 'jane');
  assert.equal(headers.authorization, undefined);
  assert.equal(headers['x-remote-user'], undefined);
  assert.equal(headers['x-remote-extra-scopes'], undefined);
  assert.equal(headers['x-proxy-user'], undefined);
  assert.equal(headers.accept, 'a');
});

function impersonating(user: UserInfo, authorize: Authorizer, inner: Handler = (req, res) => void res.end(JSON.stringify({ user: userOf(req), original: originalUserOf(req)?.name }))): Handler {
  return withPanicRecovery(withAuthentication(withImpersonation(inner, { authorize }), { authenticate: async () => ({ user }) }));
}

test('impersonation: each attribute is checked with the impersonate verb', async () => {
  const seen: Attributes[] = [];
  const r = await call(impersonating(admin, allowList(['admin:impersonate:*'], seen)), '/x', {
    headers: { 'impersonate-user': 'jane', 'impersonate-group': ['g1', 'g2'], 'impersonate-uid': 'u-1', 'impersonate-extra-scopes': ['a', 'b'], 'impersonate-extra-foo%2fbar': 'x' },
  });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json(), { user: { name: 'jane', uid: 'u-1', groups: ['g1', 'g2', 'system:authenticated'], extra: { scopes: ['a', 'b'], 'foo/bar': ['x'] } }, original: 'admin' });
  assert.deepEqual(seen.map((a) => `${a.apiGroup}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}:${a.name}`).sort(), [
    '/groups:g1', '/groups:g2', '/users:jane', 'authentication.k8s.io/uids:u-1', 'authentication.k8s.io/userextras/foo/bar:x', 'authentication.k8s.io/userextras/scopes:a', 'authentication.k8s.io/userextras/scopes:b',
  ]);
});

test('impersonation: a service account gets its groups and the serviceaccounts resource check', async () => {
  const seen: Attributes[] = [];
  const r = await call(impersonating(admin, allowList(['admin:impersonate:serviceaccounts:robot'], seen)), '/x', { headers: { 'impersonate-user': 'system:serviceaccount:apps:robot' } });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual((r.json().user as UserInfo).groups, ['system:serviceaccounts', 'system:serviceaccounts:apps', 'system:authenticated']);
  assert.equal(seen[0].namespace, 'apps');
});

test('impersonation: a missing right is 403 naming the resource; groups without a user is 400', async () => {
  const denied = await call(impersonating(jane, allowList(['jane:impersonate:users:*'])), '/x', { headers: { 'impersonate-user': 'bob', 'impersonate-group': 'system:masters' } });
  assert.equal(denied.status, 403);
  assert.equal(denied.json().message, 'groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope');
  const bad = await call(impersonating(admin, allowList(['admin:*'])), '/x', { headers: { 'impersonate-group': 'g' } });
  assert.equal(bad.status, 400);
});

test('impersonation: anonymous gets system:unauthenticated; no headers leaves the user alone', async () => {
  const anon = await call(impersonating(admin, allowList(['admin:*'])), '/x', { headers: { 'impersonate-user': 'system:anonymous' } });
  assert.deepEqual((anon.json().user as UserInfo).groups, ['system:unauthenticated']);
  const plain = await call(impersonating(jane, allowList([])), '/x');
  assert.equal((plain.json().user as UserInfo).name, 'jane');
});

test('authorization: uses the request info; deny is 403 with the reason appended', async () => {
  const handler = withPanicRecovery(withRequestInfo(withAuthentication(withAuthorization(ok, { authorize: async (a) => (a.verb === 'list' ? { decision: 'allow', reason: '' } : { decision: 'deny', reason: 'nope' }) }), { authenticate: async () => ({ user: jane }) })));
  assert.equal((await call(handler, '/api/v1/namespaces/default/pods')).status, 200);
  const r = await call(handler, '/api/v1/namespaces/default/pods/p');
  assert.equal(r.status, 403);
  assert.equal(r.json().message, 'pods "p" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default": nope');
});

test('max body size: a declared length over the limit is 413 before the handler; readBody bounds chunked bodies', async () => {
  let reached = false;
  const h = withPanicRecovery(withMaxBodySize(async (req, res) => {
    reached = true;
    const body = await readBody(req);
    res.end(String(body.length));
  }, { limit: 10 }));
  const big = await call(h, '/x', { method: 'POST', body: 'x'.repeat(11) });
  assert.equal(big.status, 413);
  assert.equal(big.json().reason, 'RequestEntityTooLarge');
  assert.equal(reached, false);
  assert.equal((await call(h, '/x', { method: 'POST', body: 'x'.repeat(10) })).body, '10');
  const chunked = await call(h, '/x', { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: 'x'.repeat(11) });
  assert.equal(chunked.status, 413);
});

test('timeout: slow requests get 504 and their signal aborts; watches are exempt', async () => {
  let aborted = false;
  const slow: Handler = (req, res) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        if (!res.headersSent) res.end('late');
        resolve();
      }, 300);
      signalOf(req)?.addEventListener('abort', () => {
        aborted = true;
        clearTimeout(t);
        resolve();
      });
    });
  const h = withPanicRecovery(withRequestInfo(withTimeout(slow, { timeoutMs: 50 })));
  const r = await call(h, '/api/v1/namespaces/default/configmaps');
  assert.equal(r.status, 504);
  assert.equal(r.json().reason, 'Timeout');
  assert.equal(aborted, true);
  const watch = await call(withPanicRecovery(withRequestInfo(withTimeout(slow, { timeoutMs: 50 }))), '/api/v1/namespaces/default/configmaps?watch=true');
  assert.equal(watch.body, 'late');
  const info = await call(withRequestInfo((req, res) => void res.end(JSON.stringify(requestInfoOf(req)))), '/apis/apps/v1/namespaces/ns/deployments/d/scale');
  assert.deepEqual({ ...info.json(), parts: undefined }, { isResourceRequest: true, path: '/apis/apps/v1/namespaces/ns/deployments/d/scale', verb: 'get', apiPrefix: 'apis', apiGroup: 'apps', apiVersion: 'v1', namespace: 'ns', resource: 'deployments', subresource: 'scale', name: 'd', parts: undefined });
});

test('queryTimeoutMs parses ?timeout=', () => {
  assert.equal(queryTimeoutMs('32s'), 32_000);
  assert.equal(queryTimeoutMs('5m'), 300_000);
  assert.equal(queryTimeoutMs('1.5s'), 1500);
  assert.equal(queryTimeoutMs('bogus'), undefined);
  assert.equal(queryTimeoutMs(null), undefined);
});
