// The console's built assets are committed (src/console/assets) so kagg serve works from a
// fresh clone without a build step; this fails when they are stale against console/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadAssets } from '../../src/console/static-assets.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('committed console build matches a fresh vite build of console/ (run npm run build:console)', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'kagg-console-build-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'console', 'vite.config.ts'), '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, timeout: 120_000 });
  const [fresh, committed] = await Promise.all([loadAssets(out), loadAssets()]);
  assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort());
  for (const [key, asset] of fresh) assert.ok(committed.get(key)!.body.equals(asset.body), `${key} differs`);
});
