// The whole test suite: type check, then every *.test.ts under src/ and test/ with
// node:test (via tsx). Node 20 runs zero tests and exits 0 when given no files, so the
// files are listed explicitly and a zero count is a failure.
//
//   npm test                 everything
//   npm test -- --unit       skip test/e2e
//   npm test -- storage pki  only files whose path contains one of the words
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureDeps();

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(path));
    else if (entry.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

let files = [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))].sort();
if (unitOnly) files = files.filter((f) => !f.startsWith(join('test', 'e2e')));
if (filters.length > 0) files = files.filter((f) => filters.some((w) => f.includes(w)));
if (files.length === 0) {
  console.error('test: no test files matched');
  process.exit(1);
}

if (filters.length === 0) {
  console.log('> tsc --noEmit -p .');
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}

const outDir = mkdtempSync(join(tmpdir(), 'kagg-test-'));
const tap = join(outDir, 'report.tap');
const run = spawnSync(process.execPath, [
  '--import', 'tsx', '--test',
  `--test-concurrency=${process.env.KAGG_TEST_CONCURRENCY ?? 3}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], { cwd: root, stdio: 'inherit' });

const report = readFileSync(tap, 'utf8');
rmSync(outDir, { recursive: true, force: true });
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(report)?.[1] ?? 0);
const tests = count('tests');
const failed = count('fail') + count('cancelled');
console.log(`\ntest: ${files.length} files, ${tests} tests, ${failed} failed or cancelled, ${count('skipped')} skipped, ${count('todo')} todo`);
if (tests === 0) {
  console.error('test: zero tests ran — treating as failure');
  process.exit(1);
}
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
