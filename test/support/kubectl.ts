// Runs the real kubectl against a test server: a kubeconfig in a temp dir, a fresh
// --cache-dir (kubectl.md §0.3), HOME pointed there too, and a hard timeout per call
// after which the child (started here, by pid) is killed.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlRunOptions {
  stdin?: string;
  timeoutMs?: number;
  /** Resolves once stdout contains this text (for `get -w`); `onOutput` sees the stream so far. */
  onOutput?: (stdout: string) => void;
  /** Extra environment, e.g. KUBE_EDITOR for `kubectl edit`. */
  env?: Record<string, string>;
  /** Kill kubectl once stdout matches (ends a `get -w`). */
  until?: RegExp;
  /** HOME for kubectl; default the cache dir. */
  home?: string;
}

export interface Kubectl {
  dir: string;
  run(args: string[], options?: KubectlRunOptions): Promise<KubectlResult>;
  /** Writes a file into the temp dir and returns its path. */
  file(name: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createKubectl(server: string): Promise<Kubectl> {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: kagg',
      '  cluster:',
      `    server: ${server}`,
      'users:',
      '- name: admin',
      '  user:',
      '    token: test-admin-token',
      'contexts:',
      '- name: kagg',
      '  context:',
      '    cluster: kagg',
      '    user: admin',
      '    namespace: default',
      'current-context: kagg',
      '',
    ].join('\n'),
  );
  const cacheDir = join(dir, 'cache');
  const run = (args: string[], options: KubectlRunOptions = {}) => runKubectl(kubeconfig, cacheDir, args, { ...options, home: dir });
  return {
    dir,
    run,
    file: async (name, content) => {
      const p = join(dir, name);
      await writeFile(p, content);
      return p;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** One kubectl run with the given kubeconfig and cache dir, killed (by pid) after `timeoutMs` or once stdout matches `until`. */
export function runKubectl(kubeconfig: string, cacheDir: string, args: string[], options: KubectlRunOptions = {}): Promise<KubectlResult> {
  return new Promise<KubectlResult>((resolve, reject) => {
    const home = options.home ?? cacheDir;
    const child = spawn('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: kubeconfig, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const kill = () => child.pid !== undefined && child.exitCode === null && child.kill('SIGKILL');
    const timer = setTimeout(kill, options.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onOutput?.(stdout);
      if (options.until?.test(stdout)) kill();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
