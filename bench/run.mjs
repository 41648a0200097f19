// `npm run bench` runs every bench in order; `npm run bench -- NAME...` runs the named ones.
// Each bench is a TypeScript file run through tsx as its own child process; it writes
// bench/results/NAME.json, and this script then renders BENCHMARKS.md and bench/charts/*.svg
// from every result file present (benches not run keep their previous results).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport } from './report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCHES = ['pki', 'proxy', 'discovery', 'storage', 'footprint'];
// One bench may not run longer than this (every load inside is bounded far below it).
const BENCH_TIMEOUT_MS = 20 * 60_000;

function runBench(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, `${name}.ts`)], { stdio: 'inherit', cwd: join(HERE, '..') });
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGTERM'), BENCH_TIMEOUT_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : `${name} failed (${signal ?? code})`);
    });
  });
}

const requested = process.argv.slice(2);
const unknown = requested.filter((n) => !BENCHES.includes(n));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exitCode = 2;
} else {
  const failures = [];
  for (const name of requested.length > 0 ? requested : BENCHES) {
    console.error(`== bench ${name}`);
    const failure = await runBench(name);
    if (failure) failures.push(failure);
  }
  await renderReport({ command: `npm run bench${requested.length ? ` -- ${requested.join(' ')}` : ''}` });
  if (failures.length > 0) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
}
