import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runStorageContract } from '../testing/contract.ts';
import { collectEvents, countAtLeast } from '../testing/watch-helpers.ts';
import { openSqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'kagg-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStorageContract(
  'sqlite',
  async () => {
    const store = await openSqliteStore({ path: join(dir, `contract-${n++}.db`), progressIntervalMs: 200, compactionIntervalMs: 0 });
    return { store, cleanup: () => store.close() };
  },
  { progressWithinMs: 200 },
);

test('sqlite: state and history survive reopening', async () => {
  const path = join(dir, 'reopen.db');
  const first = await openSqliteStore({ path, compactionIntervalMs: 0 });
  const seed = await first.create('/registry/seed', { metadata: { name: 'seed' } });
  await first.create('/registry/x/a', { metadata: { name: 'a' } });
  const a2 = await first.guaranteedUpdate('/registry/x/a', (cur) => ({ ...cur!, data: 2 }));
  await first.close();
  const second = await openSqliteStore({ path, compactionIntervalMs: 0 });
  try {
    assert.deepEqual(await second.get('/registry/x/a'), a2);
    assert.equal(await second.currentRevision(), Number(a2.metadata.resourceVersion));
    const w = await second.watch('/registry/x/', { revision: Number(seed.metadata.resourceVersion), recursive: true });
    try {
      const events = await collectEvents(w, countAtLeast(2));
      assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED']);
    } finally {
      w.close();
    }
  } finally {
    await second.close();
  }
});

test('sqlite: a watch sees writes made by another connection to the same file (log polling)', async () => {
  const path = join(dir, 'shared.db');
  const reader = await openSqliteStore({ path, pollIntervalMs: 50, compactionIntervalMs: 0 });
  const writer = await openSqliteStore({ path, compactionIntervalMs: 0 });
  try {
    const w = await reader.watch('/registry/y/', { revision: 0, recursive: true });
    try {
      const made = await writer.create('/registry/y/b', { metadata: { name: 'b' } });
      const events = await collectEvents(w, countAtLeast(1), 5_000);
      assert.deepEqual(events[0].object, made);
    } finally {
      w.close();
    }
  } finally {
    await writer.close();
    await reader.close();
  }
});
