// Golden outputs of check-expiration, tree and verify on the committed fixture tree
// (test/fixtures/certs/generate.sh), at a fixed clock. UPDATE_GOLDEN=1 rewrites them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { inspectCertificate } from '../mod.ts';
import { checkExpiration } from './check-expiration.ts';
import { formatExpirationJson, formatExpirationTable } from './expiration-table.ts';
import { buildCertTree, formatCertTree } from './tree-view.ts';
import { verifyTree } from './verify.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/certs/', import.meta.url));
const TREE = join(FIXTURES, 'kubeadm-tree');
const PKI = join(TREE, 'pki');
// 100 days and 3 hours after the fixture's start time T (= CA notBefore + 5 min)
const NOW = new Date(inspectCertificate(readFileSync(join(PKI, 'ca.crt'))).notBefore.getTime() + 5 * 60_000 + (100 * 24 + 3) * 3600_000);

function golden(name: string, actual: string): void {
  const path = join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} (UPDATE_GOLDEN=1 rewrites it; review the diff)`);
}

test('check-expiration table and json on the fixture tree', async () => {
  const info = await checkExpiration(PKI, { now: NOW });
  golden('kubeadm-tree.check-expiration.txt', formatExpirationTable(info));
  golden('kubeadm-tree.check-expiration.json', formatExpirationJson(info));
});

test('tree on the fixture tree', async () => {
  golden('kubeadm-tree.tree.txt', formatCertTree(await buildCertTree(PKI, { now: NOW })));
});

test('verify finds nothing wrong with the fixture tree', async () => {
  const report = await verifyTree(PKI, { now: NOW, nodeName: 'fixture-node', advertiseAddress: '192.168.10.140', apiserverCertSans: ['api.example.com'] });
  assert.deepEqual(report.findings, []);
  assert.equal(report.ok, true);
  assert.ok(report.checked.length >= 26, String(report.checked.length));
});

test('verify at a clock past the leaves reports each expired file', async () => {
  const late = new Date(NOW.getTime() + 300 * 24 * 3600_000);
  const report = await verifyTree(PKI, { now: late });
  const expired = report.findings.filter((f) => f.problem.startsWith('expired')).map((f) => f.file);
  assert.deepEqual(expired.filter((f) => !f.endsWith('.conf')), ['apiserver.crt', 'apiserver-kubelet-client.crt', 'front-proxy-client.crt', 'etcd/server.crt', 'etcd/peer.crt', 'etcd/healthcheck-client.crt', 'apiserver-etcd-client.crt']);
  assert.equal(expired.filter((f) => f.endsWith('.conf')).length, 4);
});
