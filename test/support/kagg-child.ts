// `kagg serve` as a child process over a PKI and data dir the test keeps, so that it can be
// killed (SIGKILL included) and started again on the same data. Stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestPki } from './test-pki.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LISTENING = /serving securely on (https:\/\/[^\s]+)/;

export interface KaggChild {
  url: string;
  port: number;
  pid: number;
  logs(): string;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The flags of test/support/apiserver.ts (RBAC, anonymous on) plus `args`. */
export function kaggServeArgs(dir: string, pki: TestPki, args: string[]): string[] {
  return [
    '--bind-address=127.0.0.1',
    '--secure-port=0',
    `--tls-cert-file=${pki.serving.certFile}`,
    `--tls-private-key-file=${pki.serving.keyFile}`,
    `--client-ca-file=${pki.ca.certFile}`,
    `--service-account-key-file=${pki.saPubFile}`,
    `--service-account-signing-key-file=${pki.saKeyFile}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--authorization-mode=RBAC',
    `--data-dir=${dir}`,
    ...args,
  ];
}

export async function startKaggChild(dir: string, args: string[], o: { timeoutMs?: number } = {}): Promise<KaggChild> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'kagg.mjs'), 'serve', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout?.on('data', (c: Buffer) => (logs = (logs + c.toString()).slice(-50_000)));
  child.stderr?.on('data', (c: Buffer) => (logs = (logs + c.toString()).slice(-50_000)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    process.kill(child.pid, signal);
    const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && child.signalCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kagg serve did not start within ${o.timeoutMs ?? 30_000} ms:\n${logs}`)), o.timeoutMs ?? 30_000);
      const check = () => {
        const m = LISTENING.exec(logs);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stderr?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kagg serve exited with ${code}:\n${logs}`));
      });
    });
    return { url, port: Number(new URL(url).port), pid: child.pid!, logs: () => logs, exited, kill };
  } catch (err) {
    await kill('SIGKILL');
    throw err;
  }
}
