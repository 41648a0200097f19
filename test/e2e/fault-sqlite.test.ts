// kagg killed with SIGKILL in the middle of a write loop on SQLite: after a restart on the
// same data every acknowledged write is there with its resourceVersion, and the database
// passes `PRAGMA integrity_check`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { apiRequest } from '../support/apiserver.ts';
import { kaggServeArgs, startKaggChild, type KaggChild } from '../support/kagg-child.ts';
import { createTestPki } from '../support/test-pki.ts';
import { runWriteLoop } from '../support/write-loop.ts';

test('SIGKILL during a write loop on SQLite: no acknowledged write lost, integrity_check ok', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-fault-sqlite-'));
  const children: KaggChild[] = [];
  t.after(async () => {
    for (const c of children) await c.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const pki = await createTestPki(dir);
  const args = kaggServeArgs(dir, pki, ['--storage=sqlite']);
  const rounds = 2;
  const acked = new Map<string, string>();
  let attempts = 0;
  for (let round = 0; round < rounds; round++) {
    const child = await startKaggChild(dir, args);
    children.push(child);
    const target = { url: child.url, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key };
    // Kill once a round has some acknowledged writes, while writers are still in flight.
    const killAt = 40 + round * 25;
    let killed: Promise<void> | undefined;
    const stop = new AbortController();
    const result = await runWriteLoop({
      prefix: `r${round}`,
      concurrency: 6,
      maxWrites: 5000,
      deadlineMs: 8000,
      target: () => target,
      signal: stop.signal,
      onAck: (n) => {
        if (n >= killAt && !killed) {
          killed = child.kill('SIGKILL');
          // Writers in flight see the crash; new ones stop shortly after.
          setTimeout(() => stop.abort(), 100);
        }
      },
    });
    await (killed ?? child.kill('SIGKILL'));
    assert.ok(result.acked.size >= killAt, `round ${round}: only ${result.acked.size} writes acknowledged`);
    assert.ok(result.attempts > result.acked.size, `round ${round}: the kill landed after the loop`);
    for (const [k, v] of result.acked) acked.set(k, v);
    attempts += result.attempts;
  }

  const last = await startKaggChild(dir, args);
  children.push(last);
  const server = { url: last.url, pki };
  const list = await apiRequest(server, '/api/v1/namespaces/default/configmaps', { cert: pki.admin });
  assert.equal(list.status, 200, list.text);
  const items = new Map((list.json().items as Array<{ metadata: { name: string; resourceVersion: string }; data: { n: string } }>).map((i) => [i.metadata.name, i]));
  const missing = [...acked.keys()].filter((n) => !items.has(n));
  assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged writes lost`);
  for (const [name, rv] of acked) {
    assert.equal(items.get(name)?.metadata.resourceVersion, rv, name);
    assert.equal(items.get(name)?.data.n, name);
  }
  // The server still writes after the crashes.
  assert.equal((await apiRequest(server, '/api/v1/namespaces/default/configmaps', { cert: pki.admin, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after' } } })).status, 201);
  await last.kill('SIGTERM');

  const db = new Database(join(dir, 'kagg.db'), { readonly: true });
  try {
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  } finally {
    db.close();
  }
  t.diagnostic(`figures ${JSON.stringify({ faults: rounds, requests: attempts, acknowledged: acked.size, lost: missing.length })}`);
});
