// Several processes on one SQLite file: writes from two child processes interleave under
// SQLite's write lock, every revision is unique, and a watch in this process (fed by
// polling the log) receives every write, in revision order, with no gap.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { collectEvents, countAtLeast } from '../../src/storage/testing/watch-helpers.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const child = join(root, 'test', 'support', 'storage-child.ts');

/** Starts a writer child; `ready` resolves once it has opened the store and waits for `startFile`. */
function runChild(path: string, name: string, count: number, startFile: string, ready: () => void): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, 'NORMAL', String(count), name], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KAGG_START_FILE: startFile } });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => {
      const before = out;
      out += c.toString();
      if (!before.includes('ready\n') && out.includes('ready\n')) ready();
    });
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0 || !out.includes('done\n')) reject(new Error(`child ${name} exited ${code}: ${err.slice(-1000)}`));
      else resolve([...out.matchAll(/^ack (\d+) /gm)].map((m) => Number(m[1])));
    });
  });
}

test('sqlite: two writer processes and a watching one share a file with no lost or duplicate revision', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kagg-multiproc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'state.db');
  const watcherStore = await openSqliteStore({ path, pollIntervalMs: 50, compactionIntervalMs: 0 });
  t.after(() => watcherStore.close());
  const start = Number((await watcherStore.create('/registry/seed', { metadata: { name: 'seed' } })).metadata.resourceVersion);
  const w = await watcherStore.watch('/registry/', { revision: start, recursive: true });
  t.after(() => w.close());

  const n = 300;
  // Both children open the store first, then start writing together, so that their writes
  // interleave however slowly each process starts.
  const startFile = join(dir, 'start');
  let readyCount = 0;
  const ready = () => {
    if (++readyCount === 2) writeFileSync(startFile, '');
  };
  const [a, b] = await Promise.all([runChild(path, 'alpha', n, startFile, ready), runChild(path, 'beta', n, startFile, ready)]);
  assert.equal(a.length, n);
  assert.equal(b.length, n);
  const all = [...a, ...b].sort((x, y) => x - y);
  assert.equal(new Set(all).size, 2 * n, 'every write got its own revision');
  assert.ok(a.some((r) => r > Math.min(...b)) && b.some((r) => r > Math.min(...a)), 'the writers interleaved');

  const events = await collectEvents(w, countAtLeast(2 * n), 20_000);
  assert.deepEqual(events.map((e) => e.revision), all);
  assert.equal(await watcherStore.count('/registry/alpha/'), n);
  assert.equal(await watcherStore.count('/registry/beta/'), n);
});
