// A small Kubernetes REST client over a kubeconfig (its current or a named context; inline
// *-data or file references; client certificate or token) or the in-cluster service
// account: JSON requests and a line-delimited watch stream, every request with a timeout.
// Used by `kagg up`, `kagg doctor --kubeconfig` and the extension SDK's delegated calls.
import { readFile } from 'node:fs/promises';
import { Agent, request, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeResponse {
  status: number;
  body: string;
}

export interface KubeWatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export interface RequestOptions {
  accept?: string;
  timeoutMs?: number;
}

export interface KubeClient {
  readonly server: string;
  /** `body` is sent as JSON when given. */
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<KubeResponse>;
  get(path: string, options?: RequestOptions): Promise<KubeResponse>;
  /** Streams watch events until the server ends the stream or `signal` aborts. */
  watch(path: string, onEvent: (e: KubeWatchEvent) => void, signal: AbortSignal): Promise<void>;
  close(): void;
}

export interface KubeConnection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  /** Re-read at most once a minute (rotated service-account tokens), as client-go does. */
  tokenFile?: string;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

export const IN_CLUSTER = {
  tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
  caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
} as const;

const TOKEN_REREAD_MS = 60_000;

type Entry = Record<string, unknown>;

function entry(list: unknown, name: string, kind: string, file: string): Entry {
  const found = (Array.isArray(list) ? (list as Array<Entry | null>) : []).find((e) => e?.name === name)?.[kind];
  if (!found || typeof found !== 'object') throw new KubeconfigError(`${file}: no ${kind} named ${JSON.stringify(name)}`);
  return found as Entry;
}

/** Reads a kubeconfig's current (or the named) context: inline `*-data` or file references, token or client cert. */
export async function loadKubeconfig(file: string, context?: string): Promise<KubeConnection> {
  let doc: Entry;
  try {
    doc = (parse(await readFile(file, 'utf8')) ?? {}) as Entry;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code ? `cannot read (${code})` : `invalid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    throw new KubeconfigError(`${file}: ${reason}`, { cause: err });
  }
  const base = dirname(file);
  const contextName = context ?? String(doc['current-context'] ?? '');
  if (!contextName) throw new KubeconfigError(`${file}: no current-context (pass --context)`);
  const ctx = entry(doc.contexts, contextName, 'context', file);
  const cluster = entry(doc.clusters, String(ctx.cluster ?? ''), 'cluster', file);
  const user = ctx.user ? entry(doc.users, String(ctx.user), 'user', file) : {};
  const material = async (from: Entry, dataKey: string, fileKey: string): Promise<Buffer | undefined> => {
    if (typeof from[dataKey] === 'string') return Buffer.from(from[dataKey] as string, 'base64');
    if (typeof from[fileKey] === 'string') {
      const path = resolve(base, from[fileKey] as string);
      try {
        return await readFile(path);
      } catch (err) {
        throw new KubeconfigError(`${file}: ${fileKey} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
      }
    }
    return undefined;
  };
  let token = typeof user.token === 'string' ? user.token : undefined;
  const tokenFile = !token && typeof user.tokenFile === 'string' ? resolve(base, user.tokenFile) : undefined;
  if (tokenFile) token = (await readFile(tokenFile, 'utf8')).trim();
  const server = String(cluster.server ?? '');
  if (!/^https:\/\//.test(server)) throw new KubeconfigError(`${file}: server ${JSON.stringify(server)} is not an https:// URL`);
  return {
    server,
    ca: await material(cluster, 'certificate-authority-data', 'certificate-authority'),
    cert: await material(user, 'client-certificate-data', 'client-certificate'),
    key: await material(user, 'client-key-data', 'client-key'),
    token,
    tokenFile,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
  };
}

/** client-go's rest.InClusterConfig: KUBERNETES_SERVICE_HOST/PORT and the mounted service-account token. */
export async function inClusterConnection(env: NodeJS.ProcessEnv = process.env): Promise<KubeConnection> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new KubeconfigError('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  const [token, ca] = await Promise.all([readFile(IN_CLUSTER.tokenFile, 'utf8'), readFile(IN_CLUSTER.caFile)]).catch((err: unknown) => {
    throw new KubeconfigError(`unable to load in-cluster configuration: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  return { server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, ca, token: token.trim(), tokenFile: IN_CLUSTER.tokenFile };
}

export interface KubeClientOptions {
  timeoutMs?: number;
  userAgent?: string;
}

export async function loadKubeClient(file: string, options: KubeClientOptions & { context?: string } = {}): Promise<KubeClient> {
  return createKubeClient(await loadKubeconfig(file, options.context), options);
}

export function createKubeClient(conn: KubeConnection, options: KubeClientOptions = {}): KubeClient {
  const agent = new Agent({ ca: conn.ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecureSkipTLSVerify, servername: conn.tlsServerName, keepAlive: true, maxSockets: 16 });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = new URL(conn.server);
  let token = conn.token;
  let tokenRead = Date.now();
  const refreshToken = async () => {
    if (!conn.tokenFile || Date.now() - tokenRead < TOKEN_REREAD_MS) return;
    tokenRead = Date.now();
    token = (await readFile(conn.tokenFile, 'utf8').catch(() => token ?? '')).trim() || token;
  };
  const headers = (extra: Record<string, string>): Record<string, string> => ({
    accept: 'application/json',
    'user-agent': options.userAgent ?? 'kagg',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  });
  const target = (path: string): URL => {
    if (!path.startsWith('/')) throw new Error(`path must be absolute: ${path}`);
    return new URL(base.pathname.replace(/\/$/, '') + path, base);
  };
  const open = (path: string, opts: HttpsRequestOptions, onResponse: Parameters<typeof request>[2]) => request(target(path), { agent, ...opts }, onResponse);

  const call = async (method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<KubeResponse> => {
    await refreshToken();
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const limit = opts.timeoutMs ?? timeoutMs;
    return new Promise<KubeResponse>((done, fail) => {
      const req = open(path, {
        method,
        timeout: limit,
        headers: headers({
          ...(opts.accept ? { accept: opts.accept } : {}),
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
        }),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no response within ${limit} ms`)));
      req.on('error', fail);
      req.end(data);
    });
  };

  return {
    server: conn.server,
    close: () => agent.destroy(),
    request: call,
    get: (path, opts) => call('GET', path, undefined, opts),
    async watch(path, onEvent, signal) {
      await refreshToken();
      return new Promise<void>((done, fail) => {
        if (signal.aborted) return done();
        const req = open(path, { method: 'GET', headers: headers({}), signal }, (res) => {
          if ((res.statusCode ?? 0) !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => fail(new Error(`watch ${path}: status ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`)));
            return;
          }
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffered += chunk;
            let nl: number;
            while ((nl = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, nl).trim();
              buffered = buffered.slice(nl + 1);
              if (!line) continue;
              let event: KubeWatchEvent;
              try {
                event = JSON.parse(line) as KubeWatchEvent;
              } catch {
                req.destroy(new Error(`watch ${path}: not a JSON event: ${line.slice(0, 200)}`));
                return;
              }
              onEvent(event);
            }
          });
          res.on('end', () => done());
          res.on('error', (err) => (signal.aborted ? done() : fail(err)));
          res.on('close', () => (res.complete ? done() : signal.aborted ? done() : fail(new Error(`watch ${path}: connection closed`))));
        });
        req.on('error', (err) => (signal.aborted ? done() : fail(err)));
        req.end();
      });
    },
  };
}
