// The upstream sample-apiserver scenario (spec aggregation.md §8) replayed with the real
// kubectl against `kagg up`: APIServices Available, discovery, flunders created, listed with
// the wardle Table columns, watched, patched and deleted through the aggregator; RBAC decided
// by the wardle server's SubjectAccessReview; and direct requests to the wardle server with a
// spoofed X-Remote-User or an untrusted front-proxy CN rejected. One `kagg up` for the file.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodePrivateKeyPem, generateKey, parsePrivateKeyPem, signCertificate, type CertificateAuthority } from '../../src/pki/mod.ts';
import { buildKubeconfig, loadClusterCa } from '../../src/pki/kubeadm/mod.ts';
import { toolOptions } from '../support/tools.ts';
import { httpsRequest, startUp, type RunResult, type UpStack } from '../support/up.ts';

const GROUP = 'wardle.example.com';
/** The name the wardle serving certificate is issued for (its Service). */
const WARDLE_SERVER_NAME = 'api.wardle.svc';

function ok(r: RunResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

interface ClientPair {
  cert: string;
  key: string;
}

async function clientCert(ca: CertificateAuthority, cn: string, groups: string[] = []): Promise<ClientPair> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const issued = await signCertificate({
    ca, publicKey: key, subject: { CN: cn, ...(groups.length ? { O: groups } : {}) },
    keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['clientAuth'], expiry: '1h',
  });
  return { cert: issued.pem, key: encodePrivateKeyPem(key) };
}

/** Polls `check` every 500 ms for at most `ms`; the last value. */
async function pollUntil<T>(ms: number, check: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function flunderYaml(name: string, namespace: string, reference: string): string {
  return [
    `apiVersion: ${GROUP}/v1alpha1`,
    'kind: Flunder',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    '  labels: {sample-label: "true"}',
    `spec: {reference: ${reference}, referenceType: Flunder}`,
    '',
  ].join('\n');
}

test('kagg up: the upstream wardle scenario through the real kubectl', toolOptions('kubectl'), async (t) => {
  const stack: UpStack = await startUp(t);
  const k = (args: string[], o = {}) => stack.kubectl(args, o);
  const pki = join(stack.state, 'pki');

  await t.test('both wardle APIServices are Available (kubectl get apiservices)', async () => {
    const out = ok(await k(['get', 'apiservices']), 'kubectl get apiservices');
    for (const version of ['v1alpha1', 'v1beta1']) {
      const line = out.split('\n').find((l) => l.startsWith(`${version}.${GROUP} `));
      assert.ok(line, `no ${version}.${GROUP} row in:\n${out}`);
      assert.match(line, /\swardle\/api\s+True\s/, `not Available through Service wardle/api:\n${line}`);
    }
    const status = JSON.parse(ok(await k(['get', '--raw', `/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.${GROUP}/status`]), 'get status')) as { status: { conditions: Array<{ type: string; status: string; message: string }> } };
    assert.equal(status.status.conditions[0].type, 'Available');
    assert.equal(status.status.conditions[0].message, 'all checks passed');
  });

  await t.test('discovery: /apis lists wardle with v1beta1 preferred; api-resources lists flunders and fischers', async () => {
    const apis = JSON.parse(ok(await k(['get', '--raw', '/apis']), 'get --raw /apis')) as { groups: Array<{ name: string; versions: Array<{ version: string }>; preferredVersion: { version: string } }> };
    const wardle = apis.groups.find((g) => g.name === GROUP);
    assert.ok(wardle, `${GROUP} missing from /apis`);
    assert.equal(wardle.preferredVersion.version, 'v1beta1');
    assert.deepEqual(wardle.versions.map((v) => v.version).sort(), ['v1alpha1', 'v1beta1']);
    const out = ok(await k(['api-resources', `--api-group=${GROUP}`]), 'kubectl api-resources');
    assert.match(out, /^flunders\s+.*wardle\.example\.com\/v1beta1\s+true\s+Flunder\s*$/m, out);
    assert.match(out, /^fischers\s+.*wardle\.example\.com\/v1\w+\s+false\s+Fischer\s*$/m, out);
  });

  await t.test('flunders: apply, list with the Table columns, watch, merge patch, delete', async () => {
    const file = join(stack.dir, 'flunder.yaml');
    await writeFile(file, flunderYaml('rest-flunder', 'default', 'foo'));
    assert.match(ok(await k(['apply', '-f', file]), 'kubectl apply'), /flunder\.wardle\.example\.com\/rest-flunder created/);

    const list = ok(await k(['get', 'flunders', '-A']), 'kubectl get flunders -A');
    const [header, ...rows] = list.trim().split('\n');
    assert.deepEqual(header.trim().split(/\s{2,}/), ['NAMESPACE', 'NAME', 'REFERENCE TYPE', 'REFERENCE', 'AGE']);
    assert.equal(rows.length, 1, list);
    assert.match(rows[0], /^default\s+rest-flunder\s+Flunder\s+foo\s+\d+s\s*$/);

    // Watch: the existing flunder arrives as ADDED; a create and a patch made during the
    // watch arrive as ADDED and MODIFIED.
    let started = false;
    const second = join(stack.dir, 'flunder-2.yaml');
    await writeFile(second, flunderYaml('watched-flunder', 'default', 'bar'));
    const watch = k(['get', 'flunders', '-w', '--output-watch-events', '--request-timeout=40s'], {
      timeoutMs: 60_000,
      until: (out: string) => {
        if (!started && /^ADDED\s+rest-flunder\s/m.test(out)) started = true;
        return /^ADDED\s+watched-flunder\s/m.test(out) && /^MODIFIED\s+rest-flunder\s+Flunder\s+foo\s/m.test(out);
      },
    });
    const first = await pollUntil(20_000, async () => started, (v) => v);
    assert.ok(first, 'the watch never printed the existing flunder');
    ok(await k(['apply', '-f', second]), 'kubectl apply during the watch');
    ok(await k(['label', 'flunder', 'rest-flunder', 'watched=yes']), 'kubectl label during the watch');
    const w = await watch;
    assert.equal(w.timedOut, false, `watch output:\n${w.stdout}\n${w.stderr}`);
    assert.match(w.stdout, /^EVENT\s+NAME\s+REFERENCE TYPE\s+REFERENCE\s+AGE/m, w.stdout);
    assert.match(w.stdout, /^ADDED\s+watched-flunder\s+Flunder\s+bar\s/m, w.stdout);
    assert.match(w.stdout, /^MODIFIED\s+rest-flunder\s/m, w.stdout);

    ok(await k(['patch', 'flunder', 'rest-flunder', '--type=merge', '-p', '{"metadata":{"labels":{"patched":"true"}},"spec":{"flunderReference":"baz"}}']), 'kubectl patch --type=merge');
    const patched = JSON.parse(ok(await k(['get', 'flunder', 'rest-flunder', '-o', 'json']), 'get -o json')) as { apiVersion: string; metadata: { labels: Record<string, string> }; spec: Record<string, string> };
    assert.equal(patched.apiVersion, `${GROUP}/v1beta1`);
    assert.deepEqual(patched.metadata.labels, { 'sample-label': 'true', watched: 'yes', patched: 'true' });
    assert.equal(patched.spec.flunderReference, 'baz');
    const alpha = JSON.parse(ok(await k(['get', `flunders.v1alpha1.${GROUP}`, 'rest-flunder', '-o', 'json']), 'get v1alpha1')) as { spec: Record<string, string> };
    assert.equal(alpha.spec.reference, 'baz');

    assert.match(ok(await k(['delete', 'flunder', 'rest-flunder', 'watched-flunder']), 'kubectl delete'), /"rest-flunder" deleted/);
    const after = await k(['get', 'flunders']);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, '');
    assert.match(after.stderr, /No resources found in default namespace/);
  });

  await t.test('fischers (cluster-scoped) and the BanFlunder admission rule through kubectl', async () => {
    const fischer = join(stack.dir, 'fischer.yaml');
    await writeFile(fischer, [`apiVersion: ${GROUP}/v1alpha1`, 'kind: Fischer', 'metadata: {name: strict}', 'disallowedFlunders: [banned-flunder]', ''].join('\n'));
    assert.match(ok(await k(['apply', '-f', fischer]), 'kubectl apply fischer'), /fischer\.wardle\.example\.com\/strict created/);
    const list = ok(await k(['get', 'fischers']), 'kubectl get fischers');
    assert.match(list, /^NAME\s+DISALLOWED FLUNDERS\s+AGE\s*$/m, list);
    assert.match(list, /^strict\s+banned-flunder\s+\d+s\s*$/m, list);
    const banned = join(stack.dir, 'banned.yaml');
    await writeFile(banned, flunderYaml('banned-flunder', 'default', 'foo'));
    const refused = await k(['apply', '-f', banned]);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /flunders\.wardle\.example\.com "banned-flunder" is forbidden: this name may not be used, please change the resource name/);
    ok(await k(['delete', 'fischer', 'strict']), 'kubectl delete fischer');
    // Without the Fischer the name is allowed again.
    const allowed = await pollUntil(10_000, () => k(['apply', '-f', banned]), (r) => r.code === 0);
    assert.match(ok(allowed, 'kubectl apply after the fischer is gone'), /banned-flunder created/);
    ok(await k(['delete', 'flunder', 'banned-flunder']), 'kubectl delete flunder');
  });

  await t.test('a user without RBAC on flunders gets 403 (SubjectAccessReview), then 200 after a RoleBinding', async () => {
    const ca = await loadClusterCa(pki);
    const alice = await clientCert(ca, 'alice', ['developers']);
    const aliceConf = join(stack.dir, 'alice.conf');
    await writeFile(aliceConf, buildKubeconfig({ server: stack.server, caPem: ca.cert, clientCertPem: alice.cert, clientKeyPem: alice.key, user: 'alice' }));
    const denied = await k(['get', 'flunders', '-n', 'default'], { kubeconfig: aliceConf });
    assert.equal(denied.code, 1, denied.stdout);
    assert.match(denied.stderr, /Error from server \(Forbidden\): flunders\.wardle\.example\.com is forbidden: User "alice" cannot list resource "flunders" in API group "wardle\.example\.com" in the namespace "default"/);

    // The same identity straight to the wardle server with the aggregator's front-proxy
    // credentials: only its delegated SubjectAccessReview can decide this one.
    const wardle = await wardleTarget(stack);
    const proxy = await frontProxyCert(pki, 'front-proxy-client');
    const asAlice = () => httpsRequest(`${wardle.url}/apis/${GROUP}/v1beta1/namespaces/default/flunders`, { ca: wardle.ca, servername: WARDLE_SERVER_NAME, ...proxy, headers: { 'X-Remote-User': 'alice', 'X-Remote-Group': 'developers' } });
    const direct = await asAlice();
    assert.equal(direct.status, 403, direct.body);
    assert.match(direct.body, /User \\"alice\\" cannot list resource \\"flunders\\" in API group \\"wardle\.example\.com\\" in the namespace \\"default\\"/);

    ok(await k(['create', 'role', 'flunder-reader', '-n', 'default', '--verb=get,list,watch', `--resource=flunders.${GROUP}`]), 'create role');
    ok(await k(['create', 'rolebinding', 'alice-flunders', '-n', 'default', '--role=flunder-reader', '--user=alice']), 'create rolebinding');
    // The wardle server caches denials (10 s upstream): poll, bounded.
    const allowed = await pollUntil(30_000, () => k(['get', 'flunders', '-n', 'default', '-o', 'name'], { kubeconfig: aliceConf }), (r) => r.code === 0);
    assert.equal(allowed.code, 0, allowed.stderr);
    const directAllowed = await pollUntil(30_000, asAlice, (r) => r.status === 200);
    assert.equal(directAllowed.status, 200, directAllowed.body);
    assert.equal((JSON.parse(directAllowed.body) as { kind: string }).kind, 'FlunderList');
    // Still no write access: the Role grants reads only.
    const file = join(stack.dir, 'kept-flunder.yaml');
    await writeFile(file, flunderYaml('kept-flunder', 'default', 'foo'));
    ok(await k(['apply', '-f', file]), 'kubectl apply as admin');
    const write = await k(['delete', 'flunder', 'kept-flunder', '-n', 'default'], { kubeconfig: aliceConf });
    assert.equal(write.code, 1, write.stdout);
    assert.match(write.stderr, /forbidden: User "alice" cannot delete resource "flunders"/);
    ok(await k(['get', 'flunder', 'kept-flunder', '-n', 'default']), 'the flunder is still there');
  });

  await t.test('straight to the wardle server: a spoofed X-Remote-User without a front-proxy cert is not admin', async () => {
    const wardle = await wardleTarget(stack);
    const spoof = { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': 'system:masters' };
    const r = await httpsRequest(`${wardle.url}/apis/${GROUP}/v1beta1/namespaces/default/flunders`, { ca: wardle.ca, servername: WARDLE_SERVER_NAME, headers: spoof });
    assert.ok(r.status === 401 || r.status === 403, `expected 401 or 403, got ${r.status}: ${r.body}`);
    if (r.status === 403) assert.match(r.body, /User \\"system:anonymous\\"/, r.body);
    assert.doesNotMatch(r.body, /kubernetes-admin/);
    // The control: the same headers with the aggregator's own front-proxy cert are trusted.
    const proxy = await frontProxyCert(pki, 'front-proxy-client');
    const trusted = await httpsRequest(`${wardle.url}/apis/${GROUP}/v1beta1/namespaces/default/flunders`, { ca: wardle.ca, servername: WARDLE_SERVER_NAME, ...proxy, headers: spoof });
    assert.equal(trusted.status, 200, trusted.body);
  });

  await t.test('straight to the wardle server: a front-proxy cert whose CN is not allowed gets 401', async () => {
    const wardle = await wardleTarget(stack);
    const intruder = await frontProxyCert(pki, 'intruder');
    const r = await httpsRequest(`${wardle.url}/apis/${GROUP}/v1beta1/namespaces/default/flunders`, {
      ca: wardle.ca, servername: WARDLE_SERVER_NAME, ...intruder,
      headers: { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': 'system:masters' },
    });
    assert.equal(r.status, 401, r.body);
    assert.doesNotMatch(r.body, /kubernetes-admin/);
  });
});

/** The wardle server's address (from its Endpoints) and the CA of its serving certificate. */
async function wardleTarget(stack: UpStack): Promise<{ url: string; ca: string }> {
  const r = await stack.kubectl(['get', 'endpoints', '-n', 'wardle', 'api', '-o', 'json']);
  const ep = JSON.parse(ok(r, 'get endpoints')) as { subsets: Array<{ addresses: Array<{ ip: string }>; ports: Array<{ port: number }> }> };
  const ip = ep.subsets[0].addresses[0].ip;
  const port = ep.subsets[0].ports[0].port;
  assert.equal(ip, '127.0.0.1');
  return { url: `https://${ip}:${port}`, ca: await readFile(join(stack.state, 'wardle-pki', 'ca.crt'), 'utf8') };
}

/** A client certificate signed by the front-proxy CA of the state dir. */
async function frontProxyCert(pki: string, cn: string): Promise<ClientPair> {
  const ca = {
    cert: await readFile(join(pki, 'front-proxy-ca.crt'), 'utf8'),
    key: parsePrivateKeyPem(await readFile(join(pki, 'front-proxy-ca.key'), 'utf8')),
  };
  return clientCert(ca, cn);
}
