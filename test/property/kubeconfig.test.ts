// Kubeconfig files: kubeadm's writer and reader (src/pki/kubeadm/kubeconfig.ts) round-trip,
// and the client loader (src/client/kube-client.ts) turns any file into connection material
// or one KubeconfigError naming the file.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { KubeconfigError, loadKubeconfig } from '../../src/client/kube-client.ts';
import { buildKubeconfig, parseKubeconfig, replaceClientCredentials } from '../../src/pki/kubeadm/kubeconfig.ts';
import { RUNS } from './runs.ts';

const pemish = fc.string({ unit: 'binary-ascii', maxLength: 40 });
const name = fc.stringMatching(/^[a-z][a-z0-9:@.-]{0,15}$/);
const input = fc.record({
  server: fc.tuple(fc.constantFrom('127.0.0.1', 'localhost', 'cp.example.com'), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `https://${h}:${p}`),
  caPem: pemish,
  clientCertPem: pemish.filter((s) => s !== ''),
  clientKeyPem: pemish.filter((s) => s !== ''),
  user: name,
  cluster: fc.option(name, { nil: undefined }),
});

test('buildKubeconfig then parseKubeconfig returns every field', () => {
  fc.assert(fc.property(input, (i) => {
    const parsed = parseKubeconfig(buildKubeconfig(i));
    const cluster = i.cluster ?? 'kubernetes';
    assert.deepEqual({ ...parsed }, { server: i.server, caPem: i.caPem, clientCertPem: i.clientCertPem, clientKeyPem: i.clientKeyPem, user: i.user, cluster, context: `${i.user}@${cluster}` });
  }), { numRuns: Math.ceil(RUNS / 2) });
});

test('replaceClientCredentials changes the credentials and nothing else', () => {
  fc.assert(fc.property(input, pemish.filter((s) => s !== ''), pemish.filter((s) => s !== ''), (i, cert, key) => {
    const before = parseKubeconfig(buildKubeconfig(i));
    const after = parseKubeconfig(replaceClientCredentials(buildKubeconfig(i), cert, key));
    assert.deepEqual({ ...after }, { ...before, clientCertPem: cert, clientKeyPem: key });
  }), { numRuns: Math.ceil(RUNS / 2) });
});

test('parseKubeconfig: any text is credentials or an Error with a message', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.jsonValue({ maxDepth: 3 }).map((v) => stringify(v))), (text) => {
    try {
      parseKubeconfig(text);
    } catch (err) {
      assert.ok(err instanceof Error && err.constructor === Error && err.message !== '', String(err));
    }
  }), { numRuns: Math.ceil(RUNS / 2) });
});

let dir = '';
before(async () => (dir = await mkdtemp(join(tmpdir(), 'kagg-prop-kubeconfig-'))));
after(async () => rm(dir, { recursive: true, force: true }));

/** Any JSON value where a list is expected (lists of non-mappings included). */
const notList = fc.jsonValue({ maxDepth: 1 });

test('loadKubeconfig: any document is connection material or a KubeconfigError naming the file', async () => {
  const entry = (inner: string, body: fc.Arbitrary<unknown>) => fc.record({ name: fc.oneof(fc.constantFrom('a', 'b'), fc.jsonValue({ maxDepth: 1 })), [inner]: body }, { requiredKeys: [] });
  const doc = fc.record({
    'current-context': fc.oneof(fc.constantFrom('a', 'b', ''), fc.jsonValue({ maxDepth: 1 })),
    contexts: fc.oneof(fc.array(entry('context', fc.record({ cluster: fc.constantFrom('a', 'b', 7), user: fc.constantFrom('a', 'b', '', null) }, { requiredKeys: [] })), { maxLength: 2 }), notList),
    clusters: fc.oneof(fc.array(entry('cluster', fc.record({ server: fc.constantFrom('https://127.0.0.1:6443', 'http://x', '', 5), 'certificate-authority-data': fc.base64String({ maxLength: 8 }), 'certificate-authority': fc.constantFrom('missing.crt', '') }, { requiredKeys: [] })), { maxLength: 2 }), notList),
    users: fc.oneof(fc.array(entry('user', fc.record({ token: fc.string({ maxLength: 5 }), tokenFile: fc.constantFrom('missing-token'), 'client-certificate': fc.constantFrom('missing.crt') }, { requiredKeys: [] })), { maxLength: 2 }), notList),
  }, { requiredKeys: [] }).map((d) => stringify(d));
  const file = join(dir, 'config');
  await fc.assert(fc.asyncProperty(fc.oneof(doc, fc.string({ maxLength: 40 })), async (text) => {
    await writeFile(file, text);
    try {
      const conn = await loadKubeconfig(file);
      assert.match(conn.server, /^https:\/\//);
    } catch (err) {
      assert.ok(err instanceof KubeconfigError, `${text}\n→ ${String(err)}`);
      assert.ok(err.message.startsWith(`${file}: `), err.message);
    }
  }), { numRuns: Math.ceil(RUNS / 2) });
});

// Regression: TypeError "Cannot read properties of null (reading 'name')" from pick() for a
// list entry that is not a mapping; expected a KubeconfigError naming the file.
test('loadKubeconfig: a null entry in contexts/clusters/users is a KubeconfigError', async () => {
  const file = join(dir, 'null-entry');
  for (const text of ['current-context: a\ncontexts:\n  - null\n', 'current-context: a\ncontexts:\n  - {name: a, context: {cluster: a}}\nclusters:\n  - null\n']) {
    await writeFile(file, text);
    await assert.rejects(loadKubeconfig(file), (err: unknown) => err instanceof KubeconfigError && err.message.startsWith(`${file}: `));
  }
});
