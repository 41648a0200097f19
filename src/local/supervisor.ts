// Starts and stops the processes `kagg up` runs (kagg serve, the sample server, etcd),
// each with its log file in the state directory and its PID recorded, so `kagg down`
// (or Ctrl-C) stops exactly what was started.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { once } from 'node:events';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Detached processes outlive the parent (kagg up --detach). */
  detached?: boolean;
}

export interface Supervised {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export function startProcess(spec: ProcessSpec): Supervised {
  const log = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', log, log],
      detached: spec.detached ?? false,
    });
  } finally {
    closeSync(log);
  }
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  if (spec.detached) child.unref();
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal ?? 'unknown') as number | string);
  return { name: spec.name, pid: child.pid, child, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(p: Supervised, graceMs = 5000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  try {
    await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a PID (from a pid file) is still running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops a process known only by PID (kagg down): SIGTERM, poll, SIGKILL after `graceMs`. */
export async function stopPid(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}
