// SQLite durability: a child writing in a loop is killed with SIGKILL; on reopen every
// write it acknowledged is present and the file passes PRAGMA integrity_check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkSqliteIntegrity } from '../../src/storage/sqlite/sqlite-backend.ts';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const child = join(root, 'test', 'support', 'storage-child.ts');

for (const sync of ['FULL', 'NORMAL'] as const) {
  test(`sqlite (${sync}): every acknowledged write survives SIGKILL`, { timeout: 60_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kagg-durability-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'state.db');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, sync], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    });
    const acked = new Map<string, number>();
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const started = Date.now();
    let firstAck = 0;
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      const deadline = setTimeout(() => reject(new Error(`child acknowledged only ${acked.size} writes in 30 s; stderr: ${stderr}`)), 30_000);
      proc.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) {
          const m = /^ack (\d+) (\S+)$/.exec(line);
          if (!m) continue;
          if (acked.size === 0) firstAck = Date.now();
          acked.set(m[2], Number(m[1]));
        }
        if (acked.size >= 1500) {
          clearTimeout(deadline);
          // Kill mid-stream: writes are still in flight.
          proc.kill('SIGKILL');
          resolve();
        }
      });
      proc.on('exit', (code) => {
        if (acked.size < 1500) {
          clearTimeout(deadline);
          reject(new Error(`child exited early (${code}): ${stderr}`));
        }
      });
    });
    const writeMs = Date.now() - firstAck;
    await new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
    assert.equal(proc.signalCode, 'SIGKILL');

    assert.equal(checkSqliteIntegrity(path), 'ok');
    const store = await openSqliteStore({ path, compactionIntervalMs: 0 });
    try {
      let missing = 0;
      for (const [key, rev] of acked) {
        const got = await store.get(key).catch(() => undefined);
        if (!got || got.metadata.resourceVersion !== String(rev)) missing++;
      }
      assert.equal(missing, 0, `${missing} of ${acked.size} acknowledged writes lost`);
      const present = await store.count('/registry/durability/');
      assert.ok(present >= acked.size, `${present} stored, ${acked.size} acknowledged`);
      assert.equal(checkSqliteIntegrity(path), 'ok');
      t.diagnostic(`${sync}: ${acked.size} acknowledged writes in ${writeMs} ms (${Math.round((acked.size / writeMs) * 1000)}/s, 4 writers); ${present} present after SIGKILL; total ${Date.now() - started} ms`);
    } finally {
      await store.close();
    }
  });
}
