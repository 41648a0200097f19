import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import type { Authenticator } from './authenticator.ts';
import { createRequestAuthenticator, unionAuthenticator, withAuthenticatedGroup } from './union.ts';

const req = {} as IncomingMessage;
const user = (name: string): Authenticator => async () => ({ user: { name, groups: [], extra: {} } });
const none: Authenticator = async () => null;
const fail = (m: string): Authenticator => async () => new Error(m);

const cases: { name: string; chain: Authenticator[]; anonymous: boolean; want: string }[] = [
  { name: 'first user wins', chain: [none, user('a'), user('b')], anonymous: false, want: 'a' },
  { name: 'an error does not stop later authenticators', chain: [fail('bad cert'), user('b')], anonymous: false, want: 'b' },
  { name: 'nothing and anonymous on: anonymous', chain: [none, none], anonymous: true, want: 'system:anonymous' },
  { name: 'nothing and anonymous off: error', chain: [none], anonymous: false, want: 'error' },
  { name: 'an error and anonymous on: error, never anonymous', chain: [fail('x'), none], anonymous: true, want: 'error' },
];

for (const c of cases) {
  test(`request authenticator: ${c.name}`, async () => {
    const result = await createRequestAuthenticator(unionAuthenticator(...c.chain), { anonymous: c.anonymous })(req);
    assert.equal(result instanceof Error ? 'error' : result.user.name, c.want);
  });
}

test('the group adder: system:authenticated once, never for anonymous', () => {
  assert.deepEqual(withAuthenticatedGroup({ name: 'a', groups: ['g'], extra: {} }).groups, ['g', 'system:authenticated']);
  assert.deepEqual(withAuthenticatedGroup({ name: 'a', groups: ['system:authenticated'], extra: {} }).groups, ['system:authenticated']);
  assert.deepEqual(withAuthenticatedGroup({ name: 'system:anonymous', groups: ['system:unauthenticated'], extra: {} }).groups, ['system:unauthenticated']);
});

test('anonymous carries system:unauthenticated', async () => {
  const result = await createRequestAuthenticator(unionAuthenticator(), { anonymous: true })(req);
  assert.ok(!(result instanceof Error));
  assert.deepEqual(result.user.groups, ['system:unauthenticated']);
});
