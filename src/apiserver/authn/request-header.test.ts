import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import { escapeExtraKey, stripRemoteHeaders, unescapeExtraKey, userFromHeaders, writeRemoteHeaders } from './request-header.ts';

const config = { usernameHeaders: ['X-Remote-User', 'X-Other-User'], uidHeaders: ['X-Remote-Uid'], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'] };

const cases: { name: string; headers: NodeJS.Dict<string[]>; want: ReturnType<typeof userFromHeaders> }[] = [
  { name: 'no user header: not authenticated', headers: { 'x-remote-group': ['g'] }, want: null },
  { name: 'empty user value: not authenticated', headers: { 'x-remote-user': [''] }, want: null },
  { name: 'only the first value counts: an empty first value falls through to the next header', headers: { 'x-remote-user': ['', 'ignored'], 'x-other-user': ['bob', 'x'] }, want: { name: 'bob', groups: [], extra: {} } },
  { name: 'user name from the second header', headers: { 'x-other-user': ['bob'] }, want: { name: 'bob', groups: [], extra: {} } },
  { name: 'groups: every value, no comma split, empties skipped', headers: { 'x-remote-user': ['a'], 'x-remote-group': ['g1', '', 'x,y'] }, want: { name: 'a', groups: ['g1', 'x,y'], extra: {} } },
  { name: 'uid', headers: { 'x-remote-user': ['a'], 'x-remote-uid': ['u-1'] }, want: { name: 'a', uid: 'u-1', groups: [], extra: {} } },
  { name: 'extra: lower-cased then percent-decoded', headers: { 'x-remote-user': ['a'], 'x-remote-extra-authentication.kubernetes.io%2fpod-name': ['web-0', 'web-1'], 'x-remote-extra-a%25b': ['v'] }, want: { name: 'a', groups: [], extra: { 'authentication.kubernetes.io/pod-name': ['web-0', 'web-1'], 'a%b': ['v'] } } },
];

for (const c of cases) {
  test(`userFromHeaders: ${c.name}`, () => {
    assert.deepEqual(userFromHeaders(c.headers, config), c.want);
  });
}

test('extra key escaping round-trips and upper-cases hex', () => {
  assert.equal(escapeExtraKey('authentication.kubernetes.io/pod-name'), 'authentication.kubernetes.io%2Fpod-name');
  assert.equal(escapeExtraKey('a%b'), 'a%25b');
  assert.equal(escapeExtraKey('ünï'), '%C3%BCn%C3%AF');
  for (const key of ['authentication.kubernetes.io/pod-name', 'a%b', 'scopes', 'ünï code']) assert.equal(unescapeExtraKey(escapeExtraKey(key)), key);
  assert.equal(unescapeExtraKey('bad%zz'), 'bad%zz');
});

test('stripRemoteHeaders removes standard and configured names, keeps others', () => {
  const headers: IncomingHttpHeaders = { 'x-remote-user': 'a', 'x-remote-group': 'g', 'x-remote-extra-k': 'v', 'x-custom-user': 'c', 'x-custom-extra-q': 'z', accept: 'json' };
  stripRemoteHeaders(headers, { usernameHeaders: ['X-Custom-User'], extraHeaderPrefixes: ['X-Custom-Extra-'] });
  assert.deepEqual(headers, { accept: 'json' });
});

test('writeRemoteHeaders replaces client values with one line per group and extra value', () => {
  const headers: OutgoingHttpHeaders = { 'X-Remote-User': 'mallory', 'x-remote-extra-evil': 'x', accept: 'json' };
  writeRemoteHeaders(headers, { name: 'alice', groups: ['g1', 'g2'], extra: { 'authentication.kubernetes.io/pod-name': ['web-0'] } });
  assert.deepEqual(headers, { accept: 'json', 'X-Remote-User': 'alice', 'X-Remote-Group': ['g1', 'g2'], 'X-Remote-Extra-authentication.kubernetes.io%2Fpod-name': ['web-0'] });
});
