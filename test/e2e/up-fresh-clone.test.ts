// The README's first command, run from a fresh clone of this repository in a temp dir as a
// new user would: it must install the dependencies, reach "kagg is up" (everything
// Available), and leave an admin.conf with which `kubectl get flunders` succeeds.
// Slow (npm ci compiles better-sqlite3): runs under CI=true, or with KAGG_E2E_CLONE=1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { toolOptions } from '../support/tools.ts';
import { freePort, isAlive, kubectlWith, processesMentioning, ROOT, run, waitGone, type RunResult } from '../support/up.ts';

const INSTALL_AND_UP_MS = 10 * 60_000;

function cloneOptions(): { skip?: string; timeout: number } {
  const enabled = process.env.CI === 'true' || process.env.KAGG_E2E_CLONE === '1';
  if (!enabled) return { skip: 'slow (npm ci in a fresh clone): set KAGG_E2E_CLONE=1 to run it (always runs under CI=true)', timeout: 0 };
  return { ...toolOptions('git', 'npm', 'kubectl'), timeout: INSTALL_AND_UP_MS + 3 * 60_000 };
}

function ok(r: RunResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The command lines (comments dropped) of each `sh` block of the README, in order. */
function readmeShellBlocks(readme: string): string[][] {
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l !== ''));
}

/** The environment of a new user's shell: ours minus what the outer `npm test` and kubectl set. */
function userEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'KUBECONFIG' || key.startsWith('NODE_')) continue;
    env[key] = value;
  }
  return env;
}

test('the README quick start from a fresh clone reaches Available and kubectl get flunders works', cloneOptions(), async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-clone-'));
  const clone = join(dir, 'kagg');
  const state = join(clone, '.kagg');
  const env = userEnv();
  let npmPid: number | undefined;
  let npmExited: Promise<number | null> = Promise.resolve(null);
  t.after(async () => {
    if (npmPid !== undefined && (isAlive(npmPid) || groupAlive(npmPid))) {
      await run(process.execPath, [join(clone, 'bin', 'kagg.mjs'), 'down'], { cwd: clone, env, timeoutMs: 60_000 }).catch(() => undefined);
      for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
        if (!groupAlive(npmPid)) break;
        try {
          process.kill(-npmPid, sig);
        } catch {
          // the group is gone
        }
        await waitGone([npmPid], 10_000);
      }
    }
    for (const pid of await waitGone(await processesMentioning(clone), 5_000)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  ok(await run('git', ['clone', '--quiet', ROOT, clone], { env, timeoutMs: 120_000 }), 'git clone');
  const blocks = readmeShellBlocks(await readFile(join(clone, 'README.md'), 'utf8'));
  assert.equal(blocks[0]?.[0], 'npm start', 'the README quick start changed: update this test to run the new first command');
  // The README's "then, in another terminal" block: export KUBECONFIG=…, then kubectl lines.
  const next = blocks[1] ?? [];
  const exported = /^export KUBECONFIG=(\S+)$/.exec(next[0] ?? '');
  assert.ok(exported, `the README's second sh block does not start with export KUBECONFIG=: ${next.join(' | ')}`);
  const kubectlLines = next.slice(1).map((l) => l.split(/\s+/));
  assert.ok(kubectlLines.length > 0 && kubectlLines.every((w) => w[0] === 'kubectl'), `expected kubectl lines after the export: ${next.join(' | ')}`);
  // The README documents --port for `kagg up`, which `npm start` runs: a free port keeps
  // this test off 6443 and out of the way of anything else on the machine.
  const port = await freePort();

  const child = spawn('npm', ['start', '--', '--port', String(port)], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  npmPid = child.pid;
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-100_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-100_000)));
  npmExited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const up = await new Promise<'up' | 'exited' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), INSTALL_AND_UP_MS);
    const check = () => {
      if (output.includes('kagg is up')) {
        clearTimeout(timer);
        resolve('up');
      }
    };
    child.stdout.on('data', check);
    void npmExited.then(() => {
      clearTimeout(timer);
      resolve(output.includes('kagg is up') ? 'up' : 'exited');
    });
  });
  assert.equal(up, 'up', `npm start did not report "kagg is up" (${up}):\n${output.slice(-6000)}`);
  assert.match(output, /\[aggregator\] APIServices Available/);
  assert.match(output, new RegExp(`kagg is up: https://127\\.0\\.0\\.1:${port} `));

  assert.match(output, new RegExp(`export KUBECONFIG=${exported[1].replace(/[.]/g, '\\.')}\\n`), 'kagg up prints another KUBECONFIG than the README');
  // The README's commands as written, from the clone, with its relative KUBECONFIG.
  for (const words of kubectlLines) ok(await kubectlWith(exported[1], words.slice(1), { cwd: clone, timeoutMs: 60_000 }), words.join(' '));

  const kubeconfig = join(state, 'admin.conf');
  const apis = ok(await kubectlWith(kubeconfig, ['get', 'apiservices'], { timeoutMs: 60_000 }), 'kubectl get apiservices');
  assert.equal(apis.split('\n').filter((l) => /^v1(alpha1|beta1)\.wardle\.example\.com\s+wardle\/api\s+True\s/.test(l)).length, 2, apis);
  const flunders = await kubectlWith(kubeconfig, ['get', 'flunders'], { timeoutMs: 60_000 });
  ok(flunders, 'kubectl get flunders');
  assert.match(flunders.stderr, /No resources found in default namespace/);

  // Stop it as the README says for a second terminal: kagg down in the clone.
  const down = await run(process.execPath, [join(clone, 'bin', 'kagg.mjs'), 'down'], { cwd: clone, env, timeoutMs: 60_000 });
  assert.match(ok(down, 'kagg down'), /kagg down: stopped/);
  const code = await Promise.race([npmExited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
  assert.equal(code, 0, `npm start did not exit cleanly after kagg down (${code}):\n${output.slice(-3000)}`);
  assert.deepEqual(await waitGone(await processesMentioning(clone), 5_000), [], 'processes of the clone still running');
  const left = await waitGroupGone(npmPid ?? 0, 5_000);
  assert.deepEqual(left, [], 'processes of the npm start process group still running');
});

/** Polls /proc until no process is in the group `pgid`, or `ms` passed; `pid cmdline` of those left. */
async function waitGroupGone(pgid: number, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const members: string[] = [];
    for (const entry of await readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(join('/proc', entry, 'stat'), 'utf8').catch(() => '');
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after its closing paren.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const cmdline = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
      members.push(`${entry} ${fields[0]} ${cmdline.split('\0').join(' ').trim()}`);
    }
    if (members.length === 0 || Date.now() > deadline) return members;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Whether any process of the group `pgid` is still running. */
function groupAlive(pgid: number): boolean {
  if (pgid <= 0) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
