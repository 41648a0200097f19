import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTokenFileAuthenticator, parseCsvLine, parseTokenFile } from './token-file.ts';

test('parseCsvLine: quotes, escaped quotes, leading spaces', () => {
  assert.deepEqual(parseCsvLine('t,u,1,"a,b"'), ['t', 'u', '1', 'a,b']);
  assert.deepEqual(parseCsvLine('t, u ,1'), ['t', 'u ', '1']);
  assert.deepEqual(parseCsvLine('"x""y",u,'), ['x"y', 'u', '']);
});

test('parseTokenFile: users with uid and groups; blank lines skipped', () => {
  const users = parseTokenFile('tok1,alice,uid-a,"g1,g2"\n\ntok2,bob,uid-b\n');
  assert.deepEqual(users.get('tok1'), { name: 'alice', uid: 'uid-a', groups: ['g1', 'g2'], extra: {} });
  assert.deepEqual(users.get('tok2'), { name: 'bob', uid: 'uid-b', groups: [], extra: {} });
});

test('parseTokenFile: fewer than 3 columns names the file and line', () => {
  assert.throws(() => parseTokenFile('ok,a,1\nbad,b\n', '/etc/tokens.csv'), /^Error: \/etc\/tokens\.csv:2: .*at least 3 columns/);
});

test('token authenticator: known token → user, unknown → not mine', async () => {
  const auth = createTokenFileAuthenticator(parseTokenFile('tok1,alice,uid-a,g\n'));
  assert.deepEqual(await auth('tok1'), { user: { name: 'alice', uid: 'uid-a', groups: ['g'], extra: {} } });
  assert.equal(await auth('tok2'), null);
  assert.equal(await auth('tok'), null);
});
