// Starts the wardle sample server for a test against a test core server
// (test/support/apiserver.ts): publishes kube-system/extension-apiserver-authentication the
// way kube-apiserver does, runs wardle in-process or as `kagg sample-apiserver` (stopped by
// its PID), and offers a request helper trusting wardle's generated serving CA.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWardleServer, type WardleServerOptions } from '../../examples/wardle/server.ts';
import type { ExtensionServer } from '../../src/extension/mod.ts';
import { apiRequest, type RequestOptions, type TestApiServer, type TestResponse } from './apiserver.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface AuthConfigMapValues {
  clientCA?: string;
  requestHeaderCA?: string;
  allowedNames?: string[];
  usernameHeaders?: string[];
  groupHeaders?: string[];
  extraHeadersPrefix?: string[];
  uidHeaders?: string[];
}

/** kube-apiserver's publication from the test core server's flags (spec §6.1). */
export function defaultAuthConfigMap(core: TestApiServer): AuthConfigMapValues {
  return {
    clientCA: core.pki.ca.cert,
    requestHeaderCA: core.pki.frontProxyCA.cert,
    allowedNames: ['front-proxy-client'],
    usernameHeaders: ['X-Remote-User'],
    groupHeaders: ['X-Remote-Group'],
    extraHeadersPrefix: ['X-Remote-Extra-'],
    uidHeaders: [],
  };
}

/** Creates or replaces the ConfigMap in the core server as kubernetes-admin. */
export async function publishAuthConfigMap(core: TestApiServer, values: AuthConfigMapValues = defaultAuthConfigMap(core)): Promise<void> {
  const data: Record<string, string> = {};
  if (values.clientCA) data['client-ca-file'] = values.clientCA;
  if (values.requestHeaderCA) {
    data['requestheader-client-ca-file'] = values.requestHeaderCA;
    data['requestheader-allowed-names'] = JSON.stringify(values.allowedNames ?? []);
    data['requestheader-username-headers'] = JSON.stringify(values.usernameHeaders ?? []);
    data['requestheader-group-headers'] = JSON.stringify(values.groupHeaders ?? []);
    data['requestheader-extra-headers-prefix'] = JSON.stringify(values.extraHeadersPrefix ?? []);
    data['requestheader-uid-headers'] = JSON.stringify(values.uidHeaders ?? []);
  }
  const path = '/api/v1/namespaces/kube-system/configmaps';
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extension-apiserver-authentication', namespace: 'kube-system' }, data };
  const existing = await apiRequest(core, `${path}/extension-apiserver-authentication`, { cert: core.pki.admin });
  const r = existing.status === 200
    ? await apiRequest(core, `${path}/extension-apiserver-authentication`, { method: 'PUT', cert: core.pki.admin, body })
    : await apiRequest(core, path, { method: 'POST', cert: core.pki.admin, body });
  if (r.status !== 200 && r.status !== 201) throw new Error(`publishing the auth ConfigMap: ${r.status} ${r.text}`);
}

export interface TestWardle {
  url: string;
  port: number;
  caBundle: string;
  dir: string;
  /** In-process only. */
  server?: ExtensionServer;
  pid?: number;
  logs(): string;
  close(): Promise<void>;
}

export interface StartWardleOptions {
  core: TestApiServer;
  /** Run `bin/kagg.mjs sample-apiserver` as a child. */
  child?: boolean;
  /** More CLI flags (child) . */
  args?: string[];
  /** More SDK options (in-process). */
  overrides?: Partial<WardleServerOptions>;
}

const LISTENING = /serving securely on (https:\/\/\S+)/;
const CA_LINE = /caBundle: (\S+)/;

export async function startTestWardle(options: StartWardleOptions): Promise<TestWardle> {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-wardle-'));
  try {
    if (options.child) return { ...(await startChild(options, dir)), dir };
    let text = '';
    const server = await createWardleServer({
      secure: { port: 0, bindAddress: '127.0.0.1', certDir: join(dir, 'certs') },
      authentication: { kubeconfig: options.core.kubeconfig },
      authorization: { kubeconfig: options.core.kubeconfig },
      log: (line) => (text += `${line}\n`),
      ...options.overrides,
    });
    const running = await server.listen();
    return {
      url: running.url,
      port: running.port,
      caBundle: server.caBundle,
      dir,
      server,
      logs: () => text,
      async close() {
        try {
          await server.close();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startChild(options: StartWardleOptions, dir: string): Promise<Omit<TestWardle, 'dir'>> {
  const args = ['sample-apiserver', '--secure-port=0', '--bind-address=127.0.0.1', `--cert-dir=${join(dir, 'certs')}`, `--kubeconfig=${options.core.kubeconfig}`, ...(options.args ?? [])];
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'kagg.mjs'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const pid = child.pid;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !pid) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kagg sample-apiserver did not start within 30 s:\n${out}${err}`)), 30_000);
      const check = () => {
        const m = LISTENING.exec(err);
        if (m && CA_LINE.test(out)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stderr?.on('data', check);
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kagg sample-apiserver exited with ${code}:\n${out}${err}`));
      });
    });
    const caBundle = Buffer.from(CA_LINE.exec(out)?.[1] ?? '', 'base64').toString('utf8');
    return {
      url,
      port: Number(new URL(url).port),
      caBundle,
      pid,
      logs: () => `${out}${err}`,
      async close() {
        try {
          await stop();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** One HTTPS request to wardle, trusting its serving CA; client certs from the core's test PKI. */
export function wardleRequest(core: TestApiServer, wardle: Pick<TestWardle, 'url' | 'caBundle'>, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  return apiRequest({ url: wardle.url, pki: { ...core.pki, ca: { ...core.pki.ca, cert: wardle.caBundle } } }, path, options);
}

/** Retries `probe` every 100 ms for up to `timeoutMs` until it returns true. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
