import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { OptionsError, parseDuration, parseServeArgs, resolveOptions } from './options.ts';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'config', 'seed-kube-apiserver.yaml');

function resolve(args: string[]) {
  const warnings: string[] = [];
  const parsed = parseServeArgs(args);
  const options = resolveOptions(parsed.flags, { cwd: '/var/lib/kagg', warn: (w) => warnings.push(w) });
  return { options, warnings: [...parsed.warnings, ...warnings] };
}

test('the seed manifest command line resolves, with one warning per ignored flag', () => {
  const manifest = parse(readFileSync(FIXTURE, 'utf8')) as { spec: { containers: { command: string[] }[] } };
  const args = manifest.spec.containers[0].command.slice(1);
  const { options, warnings } = resolve(args);
  assert.equal(options.securePort, 6443);
  assert.deepEqual(options.authorizationModes, ['RBAC']);
  assert.ok(warnings.some((w) => w.includes('"Node"')), 'Node mode warned');
  assert.ok(warnings.some((w) => w.includes('--allow-privileged')));
  assert.ok(warnings.every((w) => !w.includes('--tls-cert-file')));
  assert.deepEqual(options.storage, { type: 'etcd', endpoints: ['https://127.0.0.1:2379'], prefix: '/registry', tls: { ca: '/etc/kubernetes/pki/etcd/ca.crt', cert: '/etc/kubernetes/pki/apiserver-etcd-client.crt', key: '/etc/kubernetes/pki/apiserver-etcd-client.key' } });
  assert.deepEqual(options.requestHeader, {
    clientCAFile: '/etc/kubernetes/pki/front-proxy-ca.crt',
    allowedNames: ['front-proxy-client'],
    usernameHeaders: ['X-Remote-User'],
    uidHeaders: [],
    groupHeaders: ['X-Remote-Group'],
    extraHeaderPrefixes: ['X-Remote-Extra-'],
  });
  assert.deepEqual(options.serviceAccountKeyFiles, ['/etc/kubernetes/pki/sa.pub']);
});

const cases: { name: string; args: string[]; check: (o: ReturnType<typeof resolve>['options']) => void }[] = [
  { name: 'defaults: sqlite under the cwd, AlwaysAllow, anonymous on, 3 MiB', args: [], check: (o) => {
    assert.deepEqual(o.storage, { type: 'sqlite', path: '/var/lib/kagg/kagg.db' });
    assert.deepEqual(o.authorizationModes, ['AlwaysAllow']);
    assert.equal(o.anonymousAuth, true);
    assert.equal(o.maxRequestBodyBytes, 3 * 1024 * 1024);
    assert.equal(o.requestTimeoutMs, 60_000);
  } },
  { name: '--storage sqlite:PATH and memory', args: ['--storage', 'sqlite:/tmp/x.db'], check: (o) => assert.deepEqual(o.storage, { type: 'sqlite', path: '/tmp/x.db' }) },
  { name: '--data-dir moves the default database', args: ['--data-dir=/var/lib/kagg'], check: (o) => assert.deepEqual(o.storage, { type: 'sqlite', path: '/var/lib/kagg/kagg.db' }) },
  { name: 'repeatable --service-account-key-file and issuers; audiences default to issuers', args: ['--service-account-key-file=a', '--service-account-key-file=b', '--service-account-issuer=i1', '--service-account-issuer', 'i2'], check: (o) => {
    assert.deepEqual(o.serviceAccountKeyFiles, ['a', 'b']);
    assert.deepEqual(o.apiAudiences, ['i1', 'i2']);
  } },
  { name: '--api-audiences comma list', args: ['--api-audiences=x,y', '--service-account-issuer=i'], check: (o) => assert.deepEqual(o.apiAudiences, ['x', 'y']) },
  { name: 'the signing key verifies when no key file is given', args: ['--service-account-signing-key-file=sa.key'], check: (o) => assert.deepEqual(o.serviceAccountKeyFiles, ['sa.key']) },
  { name: '--authorization-mode RBAC,AlwaysAllow keeps order', args: ['--authorization-mode=RBAC,AlwaysAllow'], check: (o) => assert.deepEqual(o.authorizationModes, ['RBAC', 'AlwaysAllow']) },
  { name: '--anonymous-auth=false', args: ['--anonymous-auth=false'], check: (o) => assert.equal(o.anonymousAuth, false) },
  { name: 'empty --requestheader-allowed-names means any CN', args: ['--requestheader-client-ca-file=ca', '--requestheader-allowed-names=', '--requestheader-username-headers=X-Remote-User'], check: (o) => assert.deepEqual(o.requestHeader?.allowedNames, []) },
  { name: '--service-account-max-token-expiration 48h', args: ['--service-account-max-token-expiration=48h'], check: (o) => assert.equal(o.serviceAccountMaxTokenExpirationSeconds, 172_800) },
  { name: '--request-timeout 1m30s', args: ['--request-timeout=1m30s'], check: (o) => assert.equal(o.requestTimeoutMs, 90_000) },
];

for (const c of cases) test(`options: ${c.name}`, () => c.check(resolve(c.args).options));

const invalidCases: { name: string; args: string[]; message: RegExp }[] = [
  { name: 'unknown flag', args: ['--bogus=1'], message: /unknown flag: --bogus/ },
  { name: 'missing value', args: ['--secure-port'], message: /needs an argument/ },
  { name: 'bad integer', args: ['--secure-port=abc'], message: /expected an integer/ },
  { name: 'bad boolean', args: ['--anonymous-auth=maybe'], message: /expected true or false/ },
  { name: 'bad storage', args: ['--storage=mongo'], message: /not one of/ },
  { name: 'etcd without servers', args: ['--storage=etcd'], message: /needs --etcd-servers/ },
  { name: 'only unsupported modes', args: ['--authorization-mode=Node'], message: /no supported mode/ },
  { name: 'empty header name', args: ['--requestheader-client-ca-file=ca', '--requestheader-group-headers=X-Remote-Group,,'], message: /empty value in "--requestheader-group-headers"/ },
];

for (const c of invalidCases) {
  test(`options: invalid ${c.name}`, () => {
    assert.throws(() => resolve(c.args), (err: unknown) => err instanceof OptionsError && c.message.test(err.message));
  });
}

test('parseDuration', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.throws(() => parseDuration('10'), OptionsError);
  assert.throws(() => parseDuration('10sx'), OptionsError);
});
