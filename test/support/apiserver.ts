// Starts `kagg serve` for a test on 127.0.0.1:0 with freshly minted certificates, either
// in-process or as a child process (stopped by its PID), writes an admin kubeconfig, and
// offers a small HTTPS client that can present any of the test identities.
import { startKaggChild } from './kagg-child.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startControlPlane, type ApiHandlerFactory, type ControlPlane } from '../../src/apiserver/control-plane.ts';
import { parseServeArgs, resolveOptions } from '../../src/apiserver/options.ts';
import { aggregatedApiFactory } from '../../src/cli/serve.ts';
import { watchFiles } from '../../src/aggregator/mod.ts';
import { createTestPki, type CertPair, type TestPki } from './test-pki.ts';


export const TEST_TOKENS = {
  admin: 'admin-token-0123456789',
  jane: 'jane-token-0123456789',
  bob: 'bob-token-0123456789',
} as const;

export interface TestApiServerOptions {
  /** --authorization-mode; default RBAC. */
  authorizationMode?: string;
  /** --anonymous-auth; default true (kube-apiserver's default). */
  anonymousAuth?: boolean;
  /** --storage; default memory. */
  storage?: string;
  /** More flags for kagg serve. */
  args?: string[];
  /** Run `bin/kagg.mjs serve` as a child process instead of in-process. */
  child?: boolean;
  /** The API for in-process servers; default what `kagg serve` runs (registry + aggregator). */
  createApi?: ApiHandlerFactory;
}

export interface TestApiServer {
  url: string;
  port: number;
  dir: string;
  pki: TestPki;
  /** kubeconfig for kubernetes-admin (client cert, O=system:masters). */
  kubeconfig: string;
  /** Writes a kubeconfig for a client cert or a bearer token. */
  writeKubeconfig(name: string, credential: { cert: CertPair } | { token: string }): Promise<string>;
  /** The `kagg serve` arguments it was started with. */
  args: string[];
  /** The in-process control plane (undefined for a child). */
  plane?: ControlPlane;
  pid?: number;
  /** Lines the server logged. */
  logs(): string;
  close(): Promise<void>;
}

export interface RequestOptions {
  method?: string;
  /** Client certificate to present. */
  cert?: CertPair;
  token?: string;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Record<string, unknown>;
}

/** One HTTPS request to the test server, trusting the test CA. */
export function apiRequest(server: Pick<TestApiServer, 'url' | 'pki'>, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const url = new URL(path, server.url);
  const headers: Record<string, string | string[]> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: Buffer | undefined;
  if (options.body !== undefined) {
    body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      ca: server.pki.ca.cert,
      cert: options.cert?.cert,
      key: options.cert?.key,
      agent: false,
      timeout: 20_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`request ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function kubeconfigYaml(url: string, caPem: string, name: string, credential: { cert: CertPair } | { token: string }): string {
  const user = 'cert' in credential
    ? { 'client-certificate-data': Buffer.from(credential.cert.cert).toString('base64'), 'client-key-data': Buffer.from(credential.cert.key).toString('base64') }
    : { token: credential.token };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kagg', cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: 'kagg', user: name, namespace: 'default' } }],
    'current-context': name,
  });
}

function serveArgs(dir: string, pki: TestPki, o: TestApiServerOptions): string[] {
  return [
    '--bind-address=127.0.0.1',
    '--secure-port=0',
    `--tls-cert-file=${pki.serving.certFile}`,
    `--tls-private-key-file=${pki.serving.keyFile}`,
    `--client-ca-file=${pki.ca.certFile}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    `--service-account-key-file=${pki.saPubFile}`,
    `--service-account-signing-key-file=${pki.saKeyFile}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--requestheader-client-ca-file=${pki.frontProxyCA.certFile}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--authorization-mode=${o.authorizationMode ?? 'RBAC'}`,
    `--anonymous-auth=${o.anonymousAuth ?? true}`,
    `--storage=${o.storage ?? 'memory'}`,
    `--data-dir=${dir}`,
    ...(o.args ?? []),
  ];
}


export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-apiserver-'));
  try {
    const pki = await createTestPki(dir);
    await writeFile(join(dir, 'tokens.csv'), [
      `${TEST_TOKENS.admin},token-admin,uid-admin,"system:masters"`,
      `${TEST_TOKENS.jane},jane,uid-jane,"devs,qa"`,
      `${TEST_TOKENS.bob},bob,uid-bob`,
      '',
    ].join('\n'));
    const args = serveArgs(dir, pki, options);
    let url: string;
    let close: () => Promise<void>;
    let plane: ControlPlane | undefined;
    let pid: number | undefined;
    let logs: () => string;
    if (options.child) {
      const started = await startKaggChild(dir, args);
      url = started.url;
      pid = started.pid;
      logs = started.logs;
      close = () => started.kill('SIGTERM');
    } else {
      let text = '';
      const log = (line: string) => (text += `${line}\n`);
      const parsed = parseServeArgs(args);
      const resolved = resolveOptions(parsed.flags, { cwd: dir, warn: log });
      plane = await startControlPlane(resolved, { log, watchFiles, createApi: options.createApi ?? aggregatedApiFactory });
      url = plane.server.url;
      logs = () => text;
      const p = plane;
      close = () => p.close();
    }
    const server: TestApiServer = {
      url,
      port: Number(new URL(url).port),
      dir,
      pki,
      kubeconfig: '',
      args,
      plane,
      pid,
      logs,
      async writeKubeconfig(name, credential) {
        const file = join(dir, `${name}.kubeconfig`);
        await writeFile(file, kubeconfigYaml(url, pki.ca.cert, name, credential), { mode: 0o600 });
        return file;
      },
      async close() {
        try {
          await close();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
    server.kubeconfig = await server.writeKubeconfig('kubernetes-admin', { cert: pki.admin });
    return server;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
