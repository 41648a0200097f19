// The review actions (TokenReview, SubjectAccessReview, SelfSubject*, TokenRequest) as the
// registry calls them: a decoded body in, the response object out.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { StatusError } from '../apimachinery/status.ts';
import type { StoredObject } from '../storage/interface.ts';
import { parsePublicKeys, parseSigningKey } from './authn/jwt.ts';
import { createSelfSubjectReviewAction } from './authn/self-subject-review.ts';
import { createServiceAccountAuthenticator, type ObjectLookup } from './authn/service-account.ts';
import { createTokenRequestAction } from './authn/token-request.ts';
import { createTokenReviewAction } from './authn/token-review.ts';
import { createTokenFileAuthenticator, parseTokenFile } from './authn/token-file.ts';
import type { UserInfo } from './authn/user.ts';
import type { Authorizer } from './authz/authorizer.ts';
import { createRulesResolver, createSelfSubjectRulesReviewAction } from './authz/rules-review.ts';
import { createSelfSubjectAccessReviewAction, createSubjectAccessReviewAction } from './authz/subject-access-review.ts';
import type { ActionContext } from './registry/action.ts';

const ISSUER = 'https://kagg.test';
const jane: UserInfo = { name: 'jane', uid: 'u1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a'] } };
const ctx = (body: Record<string, unknown>, o: Partial<ActionContext> = {}): ActionContext => ({ user: jane, namespace: '', name: '', body, ...o });

const objects = new Map<string, StoredObject>([
  ['serviceaccounts/default/robot', { metadata: { name: 'robot', namespace: 'default', uid: 'sa-uid' } }],
  ['pods/default/web-0', { metadata: { name: 'web-0', namespace: 'default', uid: 'pod-uid' } }],
]);
const lookup: ObjectLookup = async (r, ns, n) => objects.get(`${r}/${ns}/${n}`);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signer = { issuer: ISSUER, ...parseSigningKey(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) };
const saAuth = createServiceAccountAuthenticator({ keys: parsePublicKeys(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string), issuers: [ISSUER], audiences: [ISSUER], lookup });
const tokenRequest = createTokenRequestAction({ signer, apiAudiences: [ISSUER], lookup, now: () => new Date('2026-11-28T17:00:00Z') });

test('TokenRequest: defaults (3600 s, API audiences), a verifiable bound token', async () => {
  const out = await tokenRequest(ctx({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: {} }, { namespace: 'default', name: 'robot' }));
  assert.deepEqual(out.spec, { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null });
  const status = out.status as { token: string; expirationTimestamp: string };
  assert.equal(status.expirationTimestamp, '2026-11-28T18:00:00Z');
  // issued at a fixed past time: valid for one hour from then, so verify with that clock
  const verify = createServiceAccountAuthenticator({ keys: parsePublicKeys(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string), issuers: [ISSUER], audiences: [ISSUER], lookup, now: () => new Date('2026-11-28T17:30:00Z') });
  const who = await verify(status.token);
  assert.ok(who && !(who instanceof Error), String(who));
  assert.equal(who.user.name, 'system:serviceaccount:default:robot');
});

test('TokenRequest: pod-bound token, audiences and expiry from the spec', async () => {
  const out = await tokenRequest(ctx({ spec: { audiences: ['vault'], expirationSeconds: 900, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web-0' } } }, { namespace: 'default', name: 'robot' }));
  assert.deepEqual((out.spec as Record<string, unknown>).audiences, ['vault']);
  assert.equal((out.spec as Record<string, unknown>).expirationSeconds, 900);
});

const tokenRequestErrors: [string, Record<string, unknown>, string, number][] = [
  ['under 10 minutes', { expirationSeconds: 60 }, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes', 422],
  ['unknown bound kind', { boundObjectRef: { kind: 'Node', name: 'n' } }, 'TokenRequest.authentication.k8s.io "" is invalid: spec.boundObjectRef.kind: Unsupported value: "Node": supported values: "Pod", "Secret"', 422],
  ['bound pod missing', { boundObjectRef: { kind: 'Pod', name: 'nope' } }, 'pods "nope" not found', 404],
  ['bound pod uid mismatch', { boundObjectRef: { kind: 'Pod', name: 'web-0', uid: 'other' } }, 'the UID in the bound object reference (other) does not match the UID in record. The object might have been deleted and then recreated', 409],
];
for (const [name, spec, message, code] of tokenRequestErrors) {
  test(`TokenRequest rejects: ${name}`, async () => {
    await assert.rejects(tokenRequest(ctx({ spec }, { namespace: 'default', name: 'robot' })), (err: unknown) => err instanceof StatusError && err.code === code && err.message === message);
  });
}

test('TokenRequest: --service-account-max-token-expiration caps the lifetime', async () => {
  const capped = createTokenRequestAction({ signer, apiAudiences: [ISSUER], lookup, maxExpirationSeconds: 1800 });
  const out = await capped(ctx({ spec: { expirationSeconds: 7200 } }, { namespace: 'default', name: 'robot' }));
  assert.equal((out.spec as Record<string, unknown>).expirationSeconds, 1800);
});

test('TokenRequest: unknown ServiceAccount is 404', async () => {
  await assert.rejects(tokenRequest(ctx({ spec: {} }, { namespace: 'default', name: 'ghost' })), /serviceaccounts "ghost" not found/);
});

test('TokenReview: static and service-account tokens; failures carry an error', async () => {
  const review = createTokenReviewAction({ tokens: [createTokenFileAuthenticator(parseTokenFile('tok,alice,uid-a,g1\n')), saAuth], apiAudiences: [ISSUER] });
  const ok = await review(ctx({ spec: { token: 'tok' } }));
  assert.deepEqual(ok.status, { authenticated: true, user: { username: 'alice', uid: 'uid-a', groups: ['g1', 'system:authenticated'] }, audiences: [ISSUER] });
  const fresh = createTokenRequestAction({ signer, apiAudiences: [ISSUER], lookup });
  const sa = (await fresh(ctx({ spec: {} }, { namespace: 'default', name: 'robot' }))).status as { token: string };
  const saReview = (await review(ctx({ spec: { token: sa.token } }))).status as Record<string, unknown>;
  assert.equal(saReview.authenticated, true);
  assert.equal((saReview.user as Record<string, unknown>).username, 'system:serviceaccount:default:robot');
  const otherAudience = (await review(ctx({ spec: { token: sa.token, audiences: ['vault'] } }))).status as Record<string, unknown>;
  assert.equal(otherAudience.authenticated, false);
  const bad = await review(ctx({ spec: { token: 'nope' } }));
  assert.deepEqual(bad.status, { authenticated: false, user: {}, error: 'invalid bearer token' });
  await assert.rejects(review(ctx({ spec: {} })), /token is required/);
});

test('SelfSubjectReview echoes the caller', async () => {
  const out = await createSelfSubjectReviewAction({ now: () => new Date('2026-11-28T17:00:00.123Z') })(ctx({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} }));
  assert.deepEqual(out, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: '2026-11-28T17:00:00Z' }, status: { userInfo: { username: 'jane', uid: 'u1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a'] } } } });
});

const authorize: Authorizer = async (a) => {
  if (a.user.groups.includes('devs') && a.verb === 'get' && a.resource === 'pods') return { decision: 'allow', reason: 'devs read pods' };
  if (a.resource === 'secrets') return { decision: 'deny', reason: 'no secrets' };
  if (!a.isResourceRequest && a.path === '/boom') throw new Error('evaluation failed');
  return { decision: 'no-opinion', reason: '' };
};

test('SubjectAccessReview: allowed, denied, no opinion, evaluation error, validation', async () => {
  const sar = createSubjectAccessReviewAction(authorize);
  const spec = (attrs: Record<string, unknown>) => ({ spec: { user: 'x', groups: ['devs'], ...attrs } });
  assert.deepEqual((await sar(ctx(spec({ resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'ns' } })))).status, { allowed: true, reason: 'devs read pods' });
  assert.deepEqual((await sar(ctx(spec({ resourceAttributes: { verb: 'get', resource: 'secrets' } })))).status, { allowed: false, denied: true, reason: 'no secrets' });
  assert.deepEqual((await sar(ctx(spec({ nonResourceAttributes: { verb: 'get', path: '/x' } })))).status, { allowed: false });
  assert.deepEqual((await sar(ctx(spec({ nonResourceAttributes: { verb: 'get', path: '/boom' } })))).status, { allowed: false, evaluationError: 'evaluation failed' });
  await assert.rejects(sar(ctx({ spec: { resourceAttributes: { verb: 'get' } } })), /at least one of user or group must be specified/);
  await assert.rejects(sar(ctx(spec({}))), /exactly one of nonResourceAttributes or resourceAttributes/);
});

test('SelfSubjectAccessReview uses the caller', async () => {
  const out = await createSelfSubjectAccessReviewAction(authorize)(ctx({ spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } } }));
  assert.equal((out.status as Record<string, unknown>).allowed, true);
});

test('SelfSubjectRulesReview: masters hold everything; others get their RBAC rules', async () => {
  const resolve = createRulesResolver({ alwaysAllow: false });
  const admin = await createSelfSubjectRulesReviewAction(resolve)(ctx({ spec: { namespace: 'default' } }, { user: { name: 'a', groups: ['system:masters'], extra: {} } }));
  assert.deepEqual(admin.status, { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false });
  const nobody = await createSelfSubjectRulesReviewAction(resolve)(ctx({ spec: { namespace: 'default' } }));
  assert.deepEqual(nobody.status, { resourceRules: [], nonResourceRules: [], incomplete: false });
});
