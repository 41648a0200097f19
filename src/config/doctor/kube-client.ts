// A minimal read-only Kubernetes client for the doctor: a kubeconfig (current or named
// context; certificate-authority, client certificate/key or token, inline *-data or files)
// and GET requests over node:https. Every request has a timeout.
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeResponse {
  status: number;
  body: string;
}

export interface KubeClient {
  readonly server: string;
  get(path: string, options?: { accept?: string }): Promise<KubeResponse>;
  close(): void;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

interface Named<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}

type Entry = Record<string, unknown>;

export interface KubeClientOptions {
  context?: string;
  timeoutMs?: number;
}

export async function loadKubeClient(file: string, options: KubeClientOptions = {}): Promise<KubeClient> {
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
  const contextName = options.context ?? (doc['current-context'] as string | undefined);
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
  const ca = await material('certificate-authority-data', 'certificate-authority', cluster);
  const cert = await material('client-certificate-data', 'client-certificate', user);
  const key = await material('client-key-data', 'client-key', user);
  let token = typeof user.token === 'string' ? user.token : undefined;
  if (!token && typeof user.tokenFile === 'string') token = (await readFile(resolve(base, user.tokenFile), 'utf8')).trim();

  const agent = new Agent({
    ca,
    cert,
    key,
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
    servername: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    keepAlive: true,
    maxSockets: 4,
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    server,
    close: () => agent.destroy(),
    get(path, opts = {}) {
      const url = new URL(path, server.endsWith('/') ? server : `${server}/`);
      if (!path.startsWith('/')) throw new Error(`path must be absolute: ${path}`);
      url.pathname = new URL(server).pathname.replace(/\/$/, '') + path.split('?')[0];
      url.search = path.includes('?') ? `?${path.split('?')[1]}` : '';
      return new Promise<KubeResponse>((done, fail) => {
        const req = request(url, {
          method: 'GET',
          agent,
          headers: { accept: opts.accept ?? 'application/json', 'user-agent': 'kagg-doctor', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          timeout: timeoutMs,
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        });
        req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no response within ${timeoutMs} ms`)));
        req.on('error', fail);
        req.end();
      });
    },
  };
}

function pick(list: unknown, name: string, kind: 'context' | 'cluster' | 'user', file: string): Entry {
  const entries = Array.isArray(list) ? (list as Named<Entry>[]) : [];
  const found = entries.find((e) => e.name === name);
  const value = found?.[kind];
  if (!value || typeof value !== 'object') throw new KubeconfigError(`${file}: no ${kind} named ${JSON.stringify(name)}`);
  return value;
}
