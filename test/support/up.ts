// `kagg up --detach` as a child process on free ports in a temp state dir, for the e2e
// tests of the local system. Stopped with `kagg down`, and if that fails, by the PIDs the
// stack recorded (`<state>/up.pid`, `<state>/children.pids`) — always from `t.after`.
// Also: a bounded command runner and the real kubectl against the stack's admin.conf,
// each kubectl call with a fresh --cache-dir and HOME.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KAGG_BIN = join(ROOT, 'bin', 'kagg.mjs');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether the timeout killed it. */
  timedOut: boolean;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** SIGKILL after this long (default 60 s). */
  timeoutMs?: number;
  /** Sees stdout so far after each chunk; return true to stop the process (SIGTERM). */
  until?: (stdout: string) => boolean;
  /** Run in its own process group, and signal the whole group when stopping it. */
  group?: boolean;
}

/** Runs a command to completion (or its timeout); never rejects for a non-zero exit. */
export function run(command: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: o.cwd ?? ROOT,
      env: o.env ? { ...o.env } : process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: o.group ?? false,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let stopped = false;
    const signal = (sig: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(o.group ? -child.pid : child.pid, sig);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      signal('SIGKILL');
    }, o.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!stopped && o.until?.(stdout)) {
        stopped = true;
        signal('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, stdout, stderr, timedOut, ms: Date.now() - start });
    });
    child.stdin.end(o.stdin ?? '');
  });
}

/** A port the kernel just handed out on 127.0.0.1 (closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a PID is running (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PIDs a stack recorded: the foreground `up` and every child (`name pid` lines). */
export async function recordedPids(state: string): Promise<number[]> {
  const up = await readFile(join(state, 'up.pid'), 'utf8').catch(() => '');
  const children = await readFile(join(state, 'children.pids'), 'utf8').catch(() => '');
  const pids = [up.trim(), ...children.split('\n').map((l) => l.trim().split(' ')[1] ?? '')].map(Number);
  return pids.filter((p) => Number.isInteger(p) && p > 0);
}

/** Polls until every PID is gone or `ms` passed; the ones still alive. */
export async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface KubectlOptions extends Omit<RunOptions, 'env'> {
  /** Another kubeconfig (e.g. a less privileged user's). */
  kubeconfig?: string;
}

export interface UpStack {
  /** The temp dir holding the state dir (removed on stop). */
  dir: string;
  /** `<dir>/.kagg`. */
  state: string;
  port: number;
  server: string;
  /** `<state>/admin.conf`. */
  kubeconfig: string;
  /** Output of `kagg up --detach`. */
  upOutput: string;
  /** `node bin/kagg.mjs <args>` with this repo as cwd. */
  kagg(args: string[], o?: RunOptions): Promise<RunResult>;
  /** The real kubectl against the stack, a fresh --cache-dir and HOME per call. */
  kubectl(args: string[], o?: KubectlOptions): Promise<RunResult>;
  /** Runs `kagg up --detach` again on the same state dir and port. */
  up(extra?: string[]): Promise<RunResult>;
  /** `kagg down`, then SIGKILL for any recorded PID still alive; the PIDs that were recorded. */
  down(): Promise<number[]>;
}

/** The real kubectl with KUBECONFIG, a fresh --cache-dir and HOME; both removed after. */
export async function kubectlWith(kubeconfig: string, args: string[], o: Omit<KubectlOptions, 'kubeconfig'> = {}): Promise<RunResult> {
  const home = await mkdtemp(join(tmpdir(), 'kagg-up-kubectl-'));
  try {
    return await run('kubectl', [`--cache-dir=${join(home, 'cache')}`, ...args], {
      ...o,
      env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * Starts `kagg up --detach --port <free> --state-dir <tmp>/.kagg`, and registers its
 * teardown with `t.after` before starting, so a failed start is cleaned up too.
 */
export async function startUp(t: TestContext, o: { extraArgs?: string[]; timeoutMs?: number } = {}): Promise<UpStack> {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-up-'));
  const state = join(dir, '.kagg');
  const port = await freePort();
  const kagg = (args: string[], ro: RunOptions = {}) => run(process.execPath, [KAGG_BIN, ...args], { timeoutMs: 240_000, ...ro });
  const up = (extra: string[] = []) => kagg(['up', '--detach', '--port', String(port), '--state-dir', state, ...extra], { timeoutMs: o.timeoutMs ?? 240_000 });
  const down = async () => {
    const pids = await recordedPids(state);
    await kagg(['down', '--state-dir', state], { timeoutMs: 60_000 }).catch(() => undefined);
    // Anything still alive that was recorded, or that names this (unique, temp) state dir
    // on its command line: a process started before up could record it.
    const left = new Set([...(await waitGone(pids, 5_000)), ...(await processesMentioning(state))]);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  };
  t.after(async () => {
    await down();
    await rm(dir, { recursive: true, force: true });
  });
  const kubeconfig = join(state, 'admin.conf');
  const first = await up(o.extraArgs);
  if (first.code !== 0) {
    const log = await readFile(join(state, 'logs', 'up.log'), 'utf8').catch(() => '(no up.log)');
    throw new Error(`kagg up --detach exited ${first.code}${first.timedOut ? ' (timed out)' : ''}:\n${first.stdout}\n${first.stderr}\nup.log:\n${log.slice(-4000)}`);
  }
  return {
    dir, state, port, server: `https://127.0.0.1:${port}`, kubeconfig, upOutput: first.stdout,
    kagg, up, down,
    kubectl: (args, ko = {}) => kubectlWith(ko.kubeconfig ?? kubeconfig, args, ko),
  };
}

export interface HttpsAnswer {
  status: number;
  body: string;
}

/** One HTTPS request to 127.0.0.1 (TLS verified against `ca` for `servername`), bounded in time. */
export function httpsRequest(url: string, o: { ca: string; servername: string; cert?: string; key?: string; headers?: Record<string, string>; method?: string; timeoutMs?: number }): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: o.method ?? 'GET', ca: o.ca, cert: o.cert, key: o.key, servername: o.servername,
      headers: { accept: 'application/json', ...o.headers }, agent: false, timeout: o.timeoutMs ?? 15_000,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${o.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** PIDs of running processes whose command line mentions `text` (e.g. a state dir), from /proc. */
export async function processesMentioning(text: string): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    if (cmdline.split('\0').some((arg) => arg.includes(text))) found.push(Number(entry));
  }
  return found;
}
