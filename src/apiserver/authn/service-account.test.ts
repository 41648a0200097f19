import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import type { StoredObject } from '../../storage/interface.ts';
import { parsePublicKeys, parseSigningKey, signJwt } from './jwt.ts';
import { createServiceAccountAuthenticator, issueServiceAccountToken, LEGACY_ISSUER, splitServiceAccountUsername, type ObjectLookup } from './service-account.ts';

const ISSUER = 'https://kubernetes.default.svc';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: { privateKey: import('node:crypto').KeyObject }) => k.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const ecPem = ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string;

const objects = new Map<string, StoredObject>([
  ['serviceaccounts/default/robot', { metadata: { name: 'robot', namespace: 'default', uid: 'sa-uid' } }],
  ['pods/default/web-0', { metadata: { name: 'web-0', namespace: 'default', uid: 'pod-uid' } }],
  ['secrets/default/robot-token', { metadata: { name: 'robot-token', namespace: 'default', uid: 's-uid' }, data: {} }],
]);
const lookup: ObjectLookup = async (r, ns, name) => objects.get(`${r}/${ns}/${name}`);

function authenticator() {
  const keys = [...parsePublicKeys(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string), ...parsePublicKeys(ecPem)];
  return createServiceAccountAuthenticator({ keys, issuers: [ISSUER], audiences: [ISSUER, 'api'], lookup });
}

async function issue(keyPem: string, o: Partial<Parameters<typeof issueServiceAccountToken>[1]> = {}, issuer = ISSUER) {
  const { token } = await issueServiceAccountToken({ issuer, ...parseSigningKey(keyPem) }, {
    namespace: 'default', serviceAccount: { name: 'robot', uid: 'sa-uid' }, audiences: [ISSUER], expirationSeconds: 3600, ...o,
  });
  return token;
}

test('RS256 and ES256 tokens authenticate as the ServiceAccount with its groups', async () => {
  for (const key of [pem(rsa), ecPem]) {
    const result = await authenticator()(await issue(key));
    assert.ok(result && !(result instanceof Error), String(result));
    assert.equal(result.user.name, 'system:serviceaccount:default:robot');
    assert.equal(result.user.uid, 'sa-uid');
    assert.deepEqual(result.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default']);
    assert.match(result.user.extra['authentication.kubernetes.io/credential-id'][0], /^JTI=/);
  }
});

test('a pod-bound token carries pod extras; a deleted pod invalidates it', async () => {
  const ok = await authenticator()(await issue(pem(rsa), { bound: { kind: 'Pod', ref: { name: 'web-0', uid: 'pod-uid' } } }));
  assert.ok(ok && !(ok instanceof Error));
  assert.deepEqual(ok.user.extra['authentication.kubernetes.io/pod-name'], ['web-0']);
  const gone = await authenticator()(await issue(pem(rsa), { bound: { kind: 'Pod', ref: { name: 'web-1', uid: 'x' } } }));
  assert.match(String((gone as Error).message), /pod default\/web-1 has been deleted/);
});

const rejections: [string, () => Promise<string>, RegExp][] = [
  ['signed by an untrusted key', () => issue(pem(stranger)), /invalid signature/],
  ['expired', () => issue(pem(rsa), { expirationSeconds: 600, now: new Date(Date.now() - 3600_000) }), /expired/],
  ['wrong audience', () => issue(pem(rsa), { audiences: ['elsewhere'] }), /audiences/],
  ['ServiceAccount missing', () => issue(pem(rsa), { serviceAccount: { name: 'ghost', uid: 'g' } }), /service account default\/ghost has been deleted/],
  ['ServiceAccount recreated with another uid', () => issue(pem(rsa), { serviceAccount: { name: 'robot', uid: 'old' } }), /does not match claim/],
];

for (const [name, make, want] of rejections) {
  test(`rejected: ${name}`, async () => {
    const result = await authenticator()(await make());
    assert.ok(result instanceof Error, `expected an error, got ${JSON.stringify(result)}`);
    assert.match(result.message, want);
  });
}

test('not mine: other issuers and non-JWT tokens', async () => {
  assert.equal(await authenticator()(await issue(pem(rsa), {}, 'https://other')), null);
  assert.equal(await authenticator()('abc.def'), null);
  assert.equal(await authenticator()('plain-token'), null);
});

test('legacy secret tokens: secret must hold the token', async () => {
  const signer = { ...parseSigningKey(pem(rsa)) };
  const token = await signJwt({
    iss: LEGACY_ISSUER, sub: 'system:serviceaccount:default:robot',
    'kubernetes.io/serviceaccount/namespace': 'default', 'kubernetes.io/serviceaccount/secret.name': 'robot-token',
    'kubernetes.io/serviceaccount/service-account.name': 'robot', 'kubernetes.io/serviceaccount/service-account.uid': 'sa-uid',
  }, signer);
  const mismatch = await authenticator()(token);
  assert.ok(mismatch instanceof Error);
  objects.set('secrets/default/robot-token', { metadata: { name: 'robot-token', namespace: 'default', uid: 's-uid' }, data: { token: Buffer.from(token).toString('base64') } });
  const ok = await authenticator()(token);
  assert.ok(ok && !(ok instanceof Error));
  assert.equal(ok.user.name, 'system:serviceaccount:default:robot');
});

test('splitServiceAccountUsername', () => {
  assert.deepEqual(splitServiceAccountUsername('system:serviceaccount:ns:n'), { namespace: 'ns', name: 'n' });
  assert.equal(splitServiceAccountUsername('system:serviceaccount:ns'), undefined);
  assert.equal(splitServiceAccountUsername('jane'), undefined);
});
