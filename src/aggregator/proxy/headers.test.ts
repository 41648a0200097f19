import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relayedHeaders } from './relay.ts';
import { escapeExtraKey, normalizeQuery, remoteIdentityHeaders, upstreamHeaders } from './headers.ts';

test('escapeExtraKey', () => {
  const cases: Array<[string, string]> = [
    ['authentication.kubernetes.io/pod-name', 'authentication.kubernetes.io%2Fpod-name'],
    ['a%b', 'a%25b'],
    ['plain-key_1', 'plain-key_1'],
    ["tok!#$&'*+-.^_`|~", "tok!#$&'*+-.^_`|~"],
    ['with space', 'with%20space'],
    ['ünï', '%C3%BCn%C3%AF'],
    ['a:b=c', 'a%3Ab%3Dc'],
  ];
  for (const [key, want] of cases) assert.equal(escapeExtraKey(key), want, key);
});

test('identity headers: groups and extras one line per value, uid when set', () => {
  const h = remoteIdentityHeaders({ name: 'alice', uid: 'u-1', groups: ['dev', 'a,b', 'system:authenticated'], extra: { 'authentication.kubernetes.io/pod-name': ['web-0'], scopes: ['x', 'y'], empty: [] } });
  assert.deepEqual(h, {
    'X-Remote-User': 'alice',
    'X-Remote-Uid': 'u-1',
    'X-Remote-Group': ['dev', 'a,b', 'system:authenticated'],
    'X-Remote-Extra-authentication.kubernetes.io%2Fpod-name': ['web-0'],
    'X-Remote-Extra-scopes': ['x', 'y'],
  });
  assert.deepEqual(remoteIdentityHeaders({ name: 'system:anonymous', groups: [], extra: {} }), { 'X-Remote-User': 'system:anonymous' });
});

/** rawHeaders as Node gives them: name, value, name, value, in arrival order and case. */
function rawHeaders(h: Record<string, string[]>): { rawHeaders: string[]; headers: Record<string, string> } {
  const headers = Object.fromEntries(Object.entries(h).map(([name, values]) => [name.toLowerCase(), values.join(', ')]));
  return { rawHeaders: Object.entries(h).flatMap(([name, values]) => values.flatMap((v) => [name, v])), headers };
}

test('upstream headers strip client identity, impersonation, hop-by-hop', () => {
  const req = rawHeaders({
      Host: ['kagg:6443'],
      Authorization: ['Bearer secret'],
      'impersonate-user': ['bob'],
      'impersonate-extra-scopes': ['s'],
      'X-Remote-User': ['mallory'],
      'x-remote-group': ['system:masters'],
      'x-remote-extra-evil': ['1'],
      'x-remote-uid': ['0'],
      'x-custom-user': ['mallory'],
      connection: ['keep-alive, x-hop'],
      'x-hop': ['1'],
      'keep-alive': ['timeout=5'],
      accept: ['application/json'],
      'user-agent': ['kubectl'],
      'x-forwarded-for': ['10.0.0.1'],
  });
  const out = upstreamHeaders(req, { user: { name: 'alice', groups: ['g1', 'g2'], extra: {} }, upgrade: false, host: '127.0.0.1:8443', path: '/apis/x/v1', clientIp: '127.0.0.1', auditId: 'abc', strip: ['x-custom-user'] });
  assert.deepEqual(out, {
    accept: 'application/json',
    'user-agent': 'kubectl',
    'x-forwarded-for': '10.0.0.1, 127.0.0.1',
    'X-Remote-User': 'alice',
    'X-Remote-Group': ['g1', 'g2'],
    'x-forwarded-proto': 'https',
    'x-forwarded-host': '127.0.0.1:8443',
    'x-forwarded-uri': '/apis/x/v1',
    'audit-id': 'abc',
  });
});

test('upgrade keeps connection/upgrade, no x-forwarded-proto', () => {
  const req = rawHeaders({ Connection: ['Upgrade'], Upgrade: ['websocket'], 'sec-websocket-protocol': ['v5.channel.k8s.io'], 'x-remote-user': ['x'] });
  const out = upstreamHeaders(req, { user: { name: 'u', groups: [], extra: {} }, upgrade: true, host: 'h:1', path: '/p' });
  assert.equal(out['connection'], 'Upgrade');
  assert.equal(out['upgrade'], 'websocket');
  assert.equal(out['X-Remote-User'], 'u');
  assert.equal(out['x-remote-user'], undefined);
  assert.equal(out['x-forwarded-proto'], undefined);
});

test('a bearer token sent as a WebSocket subprotocol never reaches the backend', () => {
  const token = `base64url.bearer.authorization.k8s.io.${Buffer.from('secret').toString('base64url')}`;
  const req = rawHeaders({ Connection: ['Upgrade'], Upgrade: ['websocket'], 'Sec-WebSocket-Protocol': [`${token}, v5.channel.k8s.io`] });
  // What the WebSocket bearer authenticator leaves in req.headers after taking the token.
  req.headers['sec-websocket-protocol'] = 'v5.channel.k8s.io';
  const out = upstreamHeaders(req, { user: { name: 'u', groups: [], extra: {} }, upgrade: true, host: 'h:1', path: '/p' });
  assert.equal(out['sec-websocket-protocol'], 'v5.channel.k8s.io');
  assert.ok(!JSON.stringify(out).includes('bearer.authorization'), JSON.stringify(out));
});

test('query re-encoded sorted', () => {
  assert.equal(normalizeQuery('?watch=1&labelSelector=a%3Db&allowWatchBookmarks=true'), '?allowWatchBookmarks=true&labelSelector=a%3Db&watch=1');
  assert.equal(normalizeQuery(''), '');
});

test('relayed response headers drop CORS and hop-by-hop, keep repeats, note length and location', () => {
  const raw = ['Content-Type', 'application/json', 'Access-Control-Allow-Origin', '*', 'Transfer-Encoding', 'chunked', 'Set-Cookie', 'a', 'Set-Cookie', 'b', 'Content-Length', '12'].map((h) => Buffer.from(h));
  assert.deepEqual(relayedHeaders(raw), { headers: ['Content-Type', 'application/json', 'Set-Cookie', 'a', 'Set-Cookie', 'b', 'Content-Length', '12'], contentLength: 12, location: false });
  assert.equal(relayedHeaders(['Location', '/elsewhere']).location, true);
});
