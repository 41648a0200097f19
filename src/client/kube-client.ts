// A small Kubernetes REST client over a kubeconfig: the current (or a named) context,
// certificate-authority, client certificate/key or token, inline *-data or files. Used by
// `kagg up`, `kagg doctor --kubeconfig` and the extension SDK's delegated calls. Every
// request has a timeout.
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeResponse {
  status: number;
  body: string;
}

export interface RequestOptions {
  accept?: string;
  contentType?: string;
  body?: unknown;
  timeoutMs?: number;
}

export interface KubeClient {
  readonly server: string;
  request(method: string, path: string, options?: RequestOptions): Promise<KubeResponse>;
  get(path: string, options?: { accept?: string }): Promise<KubeResponse>;
  close(): void;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

/** Connection material for one API server. */
export interface KubeConnection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
}

type Entry = Record<string, unknown>;

export interface KubeClientOptions {
  context?: string;
  timeoutMs?: number;
  userAgent?: string;
}

/** Reads a kubeconfig file into connection material; errors name the file. */
export async function loadKubeconfig(file: string, context?: string): Promise<KubeConnection> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  let doc: Entry;
  try {
    doc = (parse(text) ?? {}) as Entry;
  } catch (err) {
    throw new KubeconfigError(`${file}: invalid YAML (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  const base = dirname(file);
  const contextName = context ?? (doc['current-context'] as string | undefined);
  if (!contextName) throw new KubeconfigError(`${file}: no current-context (pass --context)`);
  const ctx = pick(doc.contexts, contextName, 'context', file);
  const cluster = pick(doc.clusters, String(ctx.cluster ?? ''), 'cluster', file);
  const user = ctx.user ? pick(doc.users, String(ctx.user), 'user', file) : {};
  const server = String(cluster.server ?? '');
  if (!/^https:\/\//.test(server)) throw new KubeconfigError(`${file}: cluster ${String(ctx.cluster)} server ${JSON.stringify(server)} is not an https:// URL`);

  const material = async (dataKey: string, fileKey: string, from: Entry): Promise<Buffer | undefined> => {
    if (typeof from[dataKey] === 'string') return Buffer.from(from[dataKey] as string, 'base64');
    if (typeof from[fileKey] === 'string') {
      const path = resolve(base, from[fileKey] as string);
      try {
        return await readFile(path);
      } catch (err) {
        throw new KubeconfigError(`${file}: ${fileKey} ${path}: cannot read (${(err as NodeJS.ErrnoException).code})`, { cause: err });
      }
    }
    return undefined;
  };
  let token = typeof user.token === 'string' ? user.token : undefined;
  if (!token && typeof user.tokenFile === 'string') token = (await readFile(resolve(base, user.tokenFile), 'utf8')).trim();
  return {
    server,
    ca: await material('certificate-authority-data', 'certificate-authority', cluster),
    cert: await material('client-certificate-data', 'client-certificate', user),
    key: await material('client-key-data', 'client-key', user),
    token,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
  };
}

export async function loadKubeClient(file: string, options: KubeClientOptions = {}): Promise<KubeClient> {
  return createKubeClient(await loadKubeconfig(file, options.context), options);
}

export function createKubeClient(conn: KubeConnection, options: KubeClientOptions = {}): KubeClient {
  const agent = new Agent({
    ca: conn.ca,
    cert: conn.cert,
    key: conn.key,
    rejectUnauthorized: !conn.insecureSkipTLSVerify,
    servername: conn.tlsServerName,
    keepAlive: true,
    maxSockets: 4,
  });
  const defaultTimeout = options.timeoutMs ?? 10_000;
  const base = new URL(conn.server);
  const call = (method: string, path: string, opts: RequestOptions = {}): Promise<KubeResponse> => {
    if (!path.startsWith('/')) throw new Error(`path must be absolute: ${path}`);
    const url = new URL(conn.server);
    const [pathname, search] = path.split('?', 2);
    url.pathname = base.pathname.replace(/\/$/, '') + pathname;
    url.search = search ? `?${search}` : '';
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    return new Promise<KubeResponse>((done, fail) => {
      const req = request(url, {
        method,
        agent,
        headers: {
          accept: opts.accept ?? 'application/json',
          'user-agent': options.userAgent ?? 'kagg',
          ...(conn.token ? { authorization: `Bearer ${conn.token}` } : {}),
          ...(payload !== undefined ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: timeoutMs,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no response within ${timeoutMs} ms`)));
      req.on('error', fail);
      req.end(payload);
    });
  };
  return {
    server: conn.server,
    close: () => agent.destroy(),
    request: call,
    get: (path, opts = {}) => call('GET', path, opts),
  };
}

function pick(list: unknown, name: string, kind: 'context' | 'cluster' | 'user', file: string): Entry {
  const entries = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
  const found = entries.find((e) => e.name === name);
  const value = found?.[kind];
  if (!value || typeof value !== 'object') throw new KubeconfigError(`${file}: no ${kind} named ${JSON.stringify(name)}`);
  return value as Entry;
}
