import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadKubeconfig, inClusterConnection } from './kube-client.ts';

describe('loadKubeconfig', () => {
  it('reads inline data, relative file references and a token file', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'kagg-kubeconfig-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'ca.crt'), 'CA-PEM');
    await writeFile(join(dir, 'token'), 'secret-token\n');
    const file = join(dir, 'config');
    await writeFile(file, stringify({
      'current-context': 'b',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.crt', 'tls-server-name': 'kubernetes' } }],
      users: [{ name: 'u', user: { tokenFile: 'token' } }, { name: 'x', user: { 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') } }],
      contexts: [{ name: 'a', context: { cluster: 'c', user: 'x' } }, { name: 'b', context: { cluster: 'c', user: 'u' } }],
    }));
    const conn = await loadKubeconfig(file);
    assert.equal(conn.server, 'https://127.0.0.1:6443');
    assert.equal(conn.ca?.toString(), 'CA-PEM');
    assert.equal(conn.token, 'secret-token');
    assert.equal(conn.tokenFile, join(dir, 'token'));
    assert.equal(conn.tlsServerName, 'kubernetes');
    assert.equal(conn.cert, undefined);
  });

  const invalid = [
    { name: 'no current-context', doc: { clusters: [] }, message: /no current-context/ },
    { name: 'a missing cluster', doc: { 'current-context': 'a', contexts: [{ name: 'a', context: { cluster: 'nope' } }] }, message: /no cluster named "nope"/ },
    { name: 'an http server', doc: { 'current-context': 'a', contexts: [{ name: 'a', context: { cluster: 'c' } }], clusters: [{ name: 'c', cluster: { server: 'http://x' } }] }, message: /is not an https:\/\/ URL/ },
  ];
  for (const c of invalid) {
    it(`names the file on ${c.name}`, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'kagg-kubeconfig-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const file = join(dir, 'config');
      await writeFile(file, stringify(c.doc));
      await assert.rejects(loadKubeconfig(file), (err: Error) => err.message.startsWith(file) && c.message.test(err.message));
    });
  }
});

describe('inClusterConnection', () => {
  it('needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT', async () => {
    await assert.rejects(inClusterConnection({}), /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
  });
});
