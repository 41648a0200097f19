// The security matrix of issue 9 as ONE table, every row asserted against real TLS servers:
// kagg serve (in-process, RBAC, anonymous on) with the wardle extension server behind its
// aggregator, and a second kagg whose --client-ca-file is the requestheader CA. Rows cover
// every authenticator × accept/reject (x509 incl. wrong CA, expired, not-yet-valid, wrong
// EKU, intermediates sent out of order; static tokens; service-account tokens incl. one for a
// deleted ServiceAccount; the front proxy incl. a CN not in the allowed names), header
// spoofing at kagg and at the extension server, impersonation, and RBAC escalation.
//
// The last rows show why `kagg doctor` warns when the requestheader CA is also the client
// CA: then the front proxy's own certificate authenticates as a user ("front-proxy-client")
// with no headers at all, and any client cert that CA signs is one the API server accepts,
// so the two trust roots no longer separate "a proxy asserting an identity" from "a user".
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { wardleRegistration, wardleServerName } from '../../examples/wardle/registration.ts';
import { parseSigningKey } from '../../src/apiserver/authn/jwt.ts';
import { issueServiceAccountToken } from '../../src/apiserver/authn/service-account.ts';
import { createSelfSignedCA, generateKey, parsePrivateKeyPem, signCertificate, encodePrivateKeyPem, type CertificateAuthority } from '../../src/pki/mod.ts';
import { apiRequest, startTestApiServer, TEST_TOKENS, type RequestOptions, type TestApiServer, type TestResponse } from '../support/apiserver.ts';
import { defaultAuthConfigMap, eventually, publishAuthConfigMap, startTestWardle, wardleRequest, type TestWardle } from '../support/extension.ts';
import type { CertPair } from '../support/test-pki.ts';
import { makeCA, makeLeaf } from './aggregator-fixture.ts';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const REVIEW = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const FLUNDERS = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';
const DAY = 86_400_000;

type Target = 'kagg' | 'wardle' | 'shared-ca-kagg';
interface Expect {
  status: number;
  /** The user the server saw (SelfSubjectReview answer, or named in a 403 message). */
  user?: string;
  groups?: string[];
}
interface Row {
  authenticator: string;
  name: string;
  target: Target;
  /** Default: POST a SelfSubjectReview. */
  path?: string;
  method?: string;
  body?: unknown;
  request: () => RequestOptions;
  expect: Expect;
}

function pair(cert: string, key: string): CertPair {
  return { cert, key, certFile: '', keyFile: '' };
}

describe('security matrix', () => {
  let core: TestApiServer;
  let shared: TestApiServer;
  let wardle: TestWardle;
  let dir = '';
  /** The front proxy: kagg's --proxy-client-cert-file and the CA trusted for X-Remote-* headers. */
  const proxy: Record<'ca' | 'client' | 'intruder', CertPair> = {} as Record<'ca' | 'client' | 'intruder', CertPair>;
  const extra: Record<string, CertPair> = {};
  const tokens: Record<string, string> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kagg-matrix-'));
    const proxyCA = await makeCA('front-proxy-ca');
    for (const [name, pem] of [['ca', { cert: proxyCA.pem, key: '' }], ['client', await makeLeaf(proxyCA, 'front-proxy-client', 'client')], ['intruder', await makeLeaf(proxyCA, 'intruder', 'client')]] as const) {
      const certFile = join(dir, `proxy-${name}.crt`);
      const keyFile = join(dir, `proxy-${name}.key`);
      await writeFile(certFile, pem.cert);
      await writeFile(keyFile, pem.key, { mode: 0o600 });
      proxy[name] = { cert: pem.cert, key: pem.key, certFile, keyFile };
    }
    core = await startTestApiServer({ args: [`--requestheader-client-ca-file=${proxy.ca.certFile}`, `--proxy-client-cert-file=${proxy.client.certFile}`, `--proxy-client-key-file=${proxy.client.keyFile}`, '--enable-aggregator-routing=true'] });
    // The doctor-warning setup: one CA (the front-proxy CA) as both client CA and requestheader CA.
    shared = await startTestApiServer({ args: [`--client-ca-file=${proxy.ca.certFile}`, `--requestheader-client-ca-file=${proxy.ca.certFile}`] });
    const ca: CertificateAuthority = { cert: core.pki.ca.cert, key: parsePrivateKeyPem(core.pki.ca.key) };
    const now = Date.now();
    const leaf = async (issuer: CertificateAuthority, cn: string, o: { notBefore?: Date; notAfter?: Date; isCA?: boolean; groups?: string[] } = {}) => {
      const key = await generateKey({ algo: 'ecdsa', size: 256 });
      const cert = await signCertificate({ ca: issuer, publicKey: key, subject: { CN: cn, ...(o.groups ? { O: o.groups } : {}) }, keyUsage: o.isCA ? ['keyCertSign', 'digitalSignature'] : ['digitalSignature', 'keyEncipherment'], extKeyUsage: o.isCA ? [] : ['clientAuth'], isCA: o.isCA, expiry: '24h', notBefore: o.notBefore, notAfter: o.notAfter });
      return { pem: cert.pem, key };
    };
    const future = await leaf(ca, 'jane', { notBefore: new Date(now + DAY), notAfter: new Date(now + 2 * DAY) });
    extra.notYetValid = pair(future.pem, encodePrivateKeyPem(future.key, 'pkcs8'));
    const inter = await leaf(ca, 'intermediate-ca', { isCA: true });
    const viaInter = await leaf({ cert: inter.pem, key: inter.key }, 'carol', { groups: ['testers'] });
    const otherKey = await generateKey({ algo: 'ecdsa', size: 256 });
    const unrelated = await createSelfSignedCA({ key: otherKey, subject: { CN: 'unrelated' }, expiry: '24h' });
    const carolKey = encodePrivateKeyPem(viaInter.key, 'pkcs8');
    extra.chainOutOfOrder = pair(viaInter.pem + unrelated.pem + inter.pem, carolKey);
    extra.chainMissing = pair(viaInter.pem, carolKey);

    // ServiceAccount tokens: one live, one whose ServiceAccount is deleted, one forged, one expired.
    const signer = parseSigningKey(await readFile(core.pki.saKeyFile, 'utf8'));
    const forger = parseSigningKey(await readFile(core.pki.foreignSaKeyFile, 'utf8'));
    const admin = { cert: core.pki.admin };
    for (const sa of ['robot', 'ghost']) {
      const r = await apiRequest(core, '/api/v1/namespaces/default/serviceaccounts', { ...admin, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } } });
      assert.equal(r.status, 201, r.text);
      const uid = String((r.json().metadata as { uid: string }).uid);
      const issue = async (key: typeof signer, o: { seconds?: number; now?: Date } = {}) => (await issueServiceAccountToken({ issuer: ISSUER, ...key }, { namespace: 'default', serviceAccount: { name: sa, uid }, audiences: [ISSUER], expirationSeconds: o.seconds ?? 3600, now: o.now })).token;
      tokens[sa] = await issue(signer);
      if (sa === 'robot') {
        tokens.forged = await issue(forger);
        tokens.expired = await issue(signer, { seconds: 600, now: new Date(now - DAY) });
      }
    }
    assert.equal((await apiRequest(core, '/api/v1/namespaces/default/serviceaccounts/ghost', { ...admin, method: 'DELETE' })).status, 200);

    // jane may create Roles in default (and nothing about secrets): an escalation attempt.
    const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
    assert.equal((await apiRequest(core, `${rbac}/roles`, { ...admin, body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'role-writer' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['create', 'get', 'list'] }] } })).status, 201);
    assert.equal((await apiRequest(core, `${rbac}/rolebindings`, { ...admin, body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'jane-role-writer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'role-writer' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }] } })).status, 201);
    await eventually(async () => (await apiRequest(core, `${rbac}/roles`, { token: TEST_TOKENS.jane })).status === 200);

    // wardle behind kagg's aggregator, trusting the front-proxy CA through the ConfigMap.
    await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), requestHeaderCA: proxy.ca.cert });
    wardle = await startTestWardle({ core, overrides: { secure: { port: 0, bindAddress: '127.0.0.1', certDir: join(core.dir, 'wardle-certs'), hosts: ['localhost', '127.0.0.1', wardleServerName()] } } });
    for (const [path, body] of wardleRegistration({ port: wardle.port, caBundle: wardle.caBundle }).ordered()) {
      const r = await apiRequest(core, path, { ...admin, body });
      assert.equal(r.status, 201, `${path}: ${r.text}`);
    }
    await eventually(async () => (await apiRequest(core, FLUNDERS, admin)).status === 200, 30_000);
  });
  after(async () => {
    await wardle?.close();
    await shared?.close();
    await core?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const spoof = { 'X-Remote-User': 'system:admin', 'X-Remote-Group': 'system:masters' };
  const rows: Row[] = [
    // x509 client certificates (--client-ca-file)
    { authenticator: 'x509', name: 'client cert from the client CA', target: 'kagg', request: () => ({ cert: core.pki.admin }), expect: { status: 201, user: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } },
    { authenticator: 'x509', name: 'wrong CA (same subject, foreign issuer)', target: 'kagg', request: () => ({ cert: core.pki.foreign }), expect: { status: 401 } },
    { authenticator: 'x509', name: 'expired', target: 'kagg', request: () => ({ cert: core.pki.expired }), expect: { status: 401 } },
    { authenticator: 'x509', name: 'not yet valid', target: 'kagg', request: () => ({ cert: extra.notYetValid }), expect: { status: 401 } },
    { authenticator: 'x509', name: 'wrong EKU: a serverAuth-only cert used as a client cert', target: 'kagg', request: () => ({ cert: core.pki.serverOnly }), expect: { status: 401 } },
    { authenticator: 'x509', name: 'intermediate sent out of order (leaf, unrelated CA, intermediate)', target: 'kagg', request: () => ({ cert: extra.chainOutOfOrder }), expect: { status: 201, user: 'carol', groups: ['testers', 'system:authenticated'] } },
    { authenticator: 'x509', name: 'intermediate missing from the chain', target: 'kagg', request: () => ({ cert: extra.chainMissing }), expect: { status: 401 } },
    // static tokens (--token-auth-file)
    { authenticator: 'token-file', name: 'known token', target: 'kagg', request: () => ({ token: TEST_TOKENS.jane }), expect: { status: 201, user: 'jane', groups: ['devs', 'qa', 'system:authenticated'] } },
    { authenticator: 'token-file', name: 'unknown token', target: 'kagg', request: () => ({ token: 'not-a-token-0123456789' }), expect: { status: 401 } },
    { authenticator: 'token-file', name: 'known token with a lower-case scheme', target: 'kagg', request: () => ({ headers: { authorization: `bearer ${TEST_TOKENS.jane}` } }), expect: { status: 201, user: 'jane' } },
    // service-account tokens (--service-account-key-file)
    { authenticator: 'service-account', name: 'token of a live ServiceAccount', target: 'kagg', request: () => ({ token: tokens.robot }), expect: { status: 201, user: 'system:serviceaccount:default:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] } },
    { authenticator: 'service-account', name: 'token of a deleted ServiceAccount', target: 'kagg', request: () => ({ token: tokens.ghost }), expect: { status: 401 } },
    { authenticator: 'service-account', name: 'token signed by a key the server does not trust', target: 'kagg', request: () => ({ token: tokens.forged }), expect: { status: 401 } },
    { authenticator: 'service-account', name: 'expired token', target: 'kagg', request: () => ({ token: tokens.expired }), expect: { status: 401 } },
    // anonymous
    { authenticator: 'anonymous', name: 'no credentials', target: 'kagg', path: '/api/v1/namespaces', method: 'GET', request: () => ({}), expect: { status: 403, user: 'system:anonymous' } },
    // front proxy (--requestheader-*)
    { authenticator: 'requestheader', name: 'allowed proxy CN asserting a user', target: 'kagg', request: () => ({ cert: proxy.client, headers: { 'X-Remote-User': 'alice', 'X-Remote-Group': 'team-a' } }), expect: { status: 201, user: 'alice', groups: ['team-a', 'system:authenticated'] } },
    { authenticator: 'requestheader', name: 'proxy CN not in the allowed names', target: 'kagg', request: () => ({ cert: proxy.intruder, headers: { 'X-Remote-User': 'alice' } }), expect: { status: 401 } },
    { authenticator: 'requestheader', name: 'allowed proxy cert without a user header is not a user', target: 'kagg', request: () => ({ cert: proxy.client }), expect: { status: 401 } },
    // header spoofing at kagg: identity headers from anything but the front proxy are ignored
    { authenticator: 'spoofing@kagg', name: 'client cert + X-Remote-User/Group', target: 'kagg', request: () => ({ cert: core.pki.jane, headers: spoof }), expect: { status: 201, user: 'jane', groups: ['devs', 'system:authenticated'] } },
    { authenticator: 'spoofing@kagg', name: 'token + X-Remote-User/Group', target: 'kagg', request: () => ({ token: TEST_TOKENS.bob, headers: spoof }), expect: { status: 201, user: 'bob', groups: ['system:authenticated'] } },
    { authenticator: 'spoofing@kagg', name: 'no credentials + X-Remote-User/Group', target: 'kagg', path: '/api/v1/namespaces', method: 'GET', request: () => ({ headers: spoof }), expect: { status: 403, user: 'system:anonymous' } },
    { authenticator: 'spoofing@kagg', name: 'token + X-Remote-User through the aggregator to wardle: wardle sees the caller', target: 'kagg', path: FLUNDERS, method: 'GET', request: () => ({ token: TEST_TOKENS.jane, headers: spoof }), expect: { status: 403, user: 'jane' } },
    // header spoofing at the extension server (wardle, direct)
    { authenticator: 'spoofing@wardle', name: 'front-proxy cert with an allowed CN (the trusted path)', target: 'wardle', path: FLUNDERS, method: 'GET', request: () => ({ cert: proxy.client, headers: spoof }), expect: { status: 200 } },
    { authenticator: 'spoofing@wardle', name: 'client-CA cert + X-Remote-User/Group', target: 'wardle', path: FLUNDERS, method: 'GET', request: () => ({ cert: core.pki.jane, headers: spoof }), expect: { status: 403, user: 'jane' } },
    { authenticator: 'spoofing@wardle', name: 'front-proxy CA cert with a CN not allowed + headers', target: 'wardle', path: FLUNDERS, method: 'GET', request: () => ({ cert: proxy.intruder, headers: spoof }), expect: { status: 401 } },
    { authenticator: 'spoofing@wardle', name: 'no credentials + X-Remote-User/Group', target: 'wardle', path: FLUNDERS, method: 'GET', request: () => ({ headers: spoof }), expect: { status: 403, user: 'system:anonymous' } },
    // impersonation
    { authenticator: 'impersonation', name: 'admin impersonates jane with a group', target: 'kagg', request: () => ({ cert: core.pki.admin, headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': 'devs' } }), expect: { status: 201, user: 'jane', groups: ['devs', 'system:authenticated'] } },
    { authenticator: 'impersonation', name: 'jane may not impersonate', target: 'kagg', request: () => ({ token: TEST_TOKENS.jane, headers: { 'Impersonate-User': 'kubernetes-admin' } }), expect: { status: 403, user: 'jane' } },
    { authenticator: 'impersonation', name: 'jane may not impersonate a group', target: 'kagg', request: () => ({ token: TEST_TOKENS.jane, headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': 'system:masters' } }), expect: { status: 403, user: 'jane' } },
    // RBAC escalation
    { authenticator: 'rbac-escalation', name: 'jane creates a Role granting secrets she cannot read', target: 'kagg', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'steal' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }, request: () => ({ token: TEST_TOKENS.jane }), expect: { status: 403, user: 'jane' } },
    { authenticator: 'rbac-escalation', name: 'jane creates a Role within her own permissions', target: 'kagg', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'fine' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get'] }] }, request: () => ({ token: TEST_TOKENS.jane }), expect: { status: 201 } },
    // the requestheader CA reused as the client CA (what kagg doctor warns about)
    { authenticator: 'shared CA (doctor warning)', name: 'the front proxy cert alone authenticates as a user', target: 'shared-ca-kagg', request: () => ({ cert: proxy.client }), expect: { status: 201, user: 'front-proxy-client', groups: ['system:authenticated'] } },
    { authenticator: 'shared CA (doctor warning)', name: 'a cert the proxy CA signed for another CN is a user too', target: 'shared-ca-kagg', request: () => ({ cert: proxy.intruder, headers: { 'X-Remote-User': 'alice' } }), expect: { status: 201, user: 'intruder' } },
    { authenticator: 'shared CA (doctor warning)', name: 'the same front proxy cert on a server with separate CAs is not a user', target: 'kagg', request: () => ({ cert: proxy.client }), expect: { status: 401 } },
  ];

  async function send(row: Row): Promise<TestResponse> {
    const options: RequestOptions = { ...row.request(), method: row.method ?? 'POST' };
    if ((row.method ?? 'POST') === 'POST') options.body = row.body ?? { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    const path = row.path ?? REVIEW;
    if (row.target === 'wardle') return wardleRequest(core, wardle, path, options);
    return apiRequest(row.target === 'kagg' ? core : shared, path, options);
  }

  test('every row: status and the identity the server saw', async (t) => {
    const table: string[] = ['| authenticator | case | target | expected | got |', '|---|---|---|---|---|'];
    const failures: string[] = [];
    for (const row of rows) {
      const res = await send(row);
      let got = String(res.status);
      let ok = res.status === row.expect.status;
      if (res.status === 201 && row.path === undefined) {
        const info = (res.json().status as { userInfo?: { username?: string; groups?: string[] } } | undefined)?.userInfo;
        got += ` ${info?.username ?? '?'} [${(info?.groups ?? []).join(',')}]`;
        if (row.expect.user && info?.username !== row.expect.user) ok = false;
        if (row.expect.groups && JSON.stringify(info?.groups) !== JSON.stringify(row.expect.groups)) ok = false;
      } else if (res.status >= 400) {
        const s = res.json();
        ok &&= s.kind === 'Status' && s.code === res.status;
        if (row.expect.user) ok &&= String(s.message).includes(`"${row.expect.user}"`);
        got += ` ${String(s.reason)}: ${String(s.message).slice(0, 90)}`;
      }
      table.push(`| ${row.authenticator} | ${row.name} | ${row.target} | ${row.expect.status}${row.expect.user ? ` ${row.expect.user}` : ''} | ${got.replace(/\|/g, '/')} |`);
      if (!ok) failures.push(`${row.authenticator} / ${row.name}: expected ${JSON.stringify(row.expect)}, got ${got}`);
    }
    t.diagnostic(`figures ${JSON.stringify({ securityRows: rows.length })}`);
    t.diagnostic(`matrix\n${table.join('\n')}`);
    assert.deepEqual(failures, []);
  });

  // Upstream keeps any extra key; a key named like an Object.prototype member must not break
  // authentication. Regression: both answered 500 "extra[key].push is not a function". See
  // test/property/extra-key-escaping.test.ts for the unit-level case.
  test('extra keys named __proto__/constructor from the front proxy or in Impersonate-Extra-', async () => {
    const viaProxy = await apiRequest(core, REVIEW, { cert: proxy.client, method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, headers: { 'X-Remote-User': 'alice', 'X-Remote-Extra-__proto__': 'x', 'X-Remote-Extra-Constructor': 'y' } });
    const impersonated = await apiRequest(core, REVIEW, { cert: core.pki.admin, method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, headers: { 'Impersonate-User': 'jane', 'Impersonate-Extra-constructor': 'y' } });
    assert.deepEqual([viaProxy.status, impersonated.status], [201, 201], `${viaProxy.text}\n${impersonated.text}`);
    assert.deepEqual({ ...(viaProxy.json().status as { userInfo: { extra: object } }).userInfo.extra }, Object.fromEntries([['__proto__', ['x']], ['constructor', ['y']]]));
  });
});
