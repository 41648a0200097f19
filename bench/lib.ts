// Shared helpers for the benches: timing statistics, per-process CPU and RSS from /proc,
// wrk runs with parsed latency percentiles, bounded child processes stopped by PID, and
// the JSON result file each bench writes for bench/report.mjs.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS = join(ROOT, 'bench', 'results');

/** Seconds per timed load; KAGG_BENCH_SECONDS shortens a run. */
export const SECONDS = Math.max(1, Math.min(60, Number(process.env.KAGG_BENCH_SECONDS ?? 10) || 10));
/** Repetitions of one-shot measurements. */
export const REPS = Math.max(1, Math.min(50, Number(process.env.KAGG_BENCH_REPS ?? 5) || 5));

export interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
  p99: number;
}

export function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const median = s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { n: s.length, median, min: s[0] ?? 0, max: s[s.length - 1] ?? 0, p99: at(0.99) };
}

const CLK_TCK = 100;

/** utime + stime of a process in milliseconds (from /proc/PID/stat). */
export function cpuMs(pid: number): number {
  const t = cpuTimesMs(pid);
  return t.user + t.system;
}

/** User and system CPU ms of a process (utime, stime from /proc/PID/stat). */
export function cpuTimesMs(pid: number): { user: number; system: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1000) / CLK_TCK, system: (Number(fields[12]) * 1000) / CLK_TCK };
}

/** Resident set size of a process in MiB (VmRSS from /proc/PID/status). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (killed by PID after `timeoutMs`). */
export function run(cmd: string, args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const start = performance.now();
  const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), options.timeoutMs ?? 120_000);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - start });
    });
  });
}

/** Runs and throws with the output when the exit code is not 0. */
export async function runOk(cmd: string, args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const r = await run(cmd, args, options);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}:\n${r.stdout}${r.stderr}`);
  return r;
}

export interface Daemon {
  child: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running child and waits until its output matches `ready` (bounded). */
export async function startDaemon(cmd: string, args: string[], ready: RegExp, options: { cwd?: string; timeoutMs?: number; stopGraceMs?: number } = {}): Promise<Daemon> {
  const child = spawn(cmd, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const pid = child.pid;
  if (!pid) throw new Error(`${cmd} did not start`);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(pid, 'SIGKILL'), options.stopGraceMs ?? 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${cmd} not ready within ${options.timeoutMs ?? 30_000} ms:\n${out}`)), options.timeoutMs ?? 30_000);
      const check = () => {
        if (ready.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${cmd} exited with ${code}:\n${out}`));
      });
      check();
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { child, pid, output: () => out, stop };
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** Parses `wrk --latency` output. */
export function parseWrk(text: string): WrkResult {
  const requests = Number(/(\d+) requests in ([\d.]+)(ms|s|m)/.exec(text)?.[1] ?? 0);
  const dur = /\d+ requests in ([\d.]+\w+)/.exec(text)?.[1] ?? '1s';
  const seconds = toMs(dur) / 1000;
  const p50 = /^\s+50%\s+(\S+)/m.exec(text)?.[1] ?? '';
  const p99 = /^\s+99%\s+(\S+)/m.exec(text)?.[1] ?? '';
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { requests, seconds, rps: requests / seconds, p50ms: toMs(p50), p99ms: toMs(p99), non2xx, errors };
}

export async function writeResult(name: string, result: unknown): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  await writeFile(join(RESULTS, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
