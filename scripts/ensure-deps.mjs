// Installs the locked dependencies when node_modules is missing or does not match the
// lockfile, so `npm start` and `npm test` work on a fresh clone with only Node and npm.
// The check compares package versions (npm's hidden lockfile against package-lock.json),
// not file times, and installs run one at a time (a lock directory), so parallel test
// processes never run `npm ci` over each other.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The first locked package that is missing or at another version in node_modules. */
function firstMismatch() {
  const wanted = readJson(join(root, 'package-lock.json'))?.packages ?? {};
  const installed = readJson(join(root, 'node_modules', '.package-lock.json'))?.packages;
  if (!installed) return 'node_modules is missing';
  for (const [path, meta] of Object.entries(wanted)) {
    if (path === '' || !path.startsWith('node_modules/') || meta.optional) continue;
    const have = installed[path];
    if (!have || have.version !== meta.version) return `${path.slice('node_modules/'.length)} ${meta.version} is not installed`;
  }
  return undefined;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureDeps() {
  if (!firstMismatch()) return;
  const lock = join(root, '.deps-install.lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is installing; a lock older than 15 minutes is stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleep(500);
    }
  }
  try {
    const reason = firstMismatch();
    if (!reason) return;
    process.stderr.write(`kagg: installing dependencies (npm ci: ${reason}) ...\n`);
    // node:child_process loads only when an install is needed (it costs every kagg start otherwise).
    const { execFileSync } = createRequire(import.meta.url)('node:child_process');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
