// `kagg console`'s link: a service account for the console, a read-only ClusterRole bound to
// it, and a short-lived token (TokenRequest) carried in the URL fragment, which browsers
// never send to a server and the page removes from the address bar on load.
import { request } from 'node:https';
import type { KubeConnection } from '../client/kube-client.ts';
import { CONSOLE_ROOT } from './paths.ts';

export const CONSOLE_ACCOUNT = { namespace: 'kube-system', name: 'kagg-console' } as const;
export const CONSOLE_ROLE = 'kagg:console-viewer';
/** TokenRequest's floor (kube-apiserver rejects shorter). */
export const MIN_TOKEN_SECONDS = 600;

/** What the console reads, and nothing it could change. */
export const CONSOLE_RULES = [
  { apiGroups: ['apiregistration.k8s.io'], resources: ['apiservices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['namespaces', 'services', 'pods'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'], verbs: ['get'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'clusterrolebindings'], verbs: ['get', 'list'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list'] },
  { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
  { nonResourceURLs: ['/console/api/*', '/readyz', '/apis', '/apis/*', '/api', '/api/*'], verbs: ['get'] },
] as const;

export interface LoginLinkOptions {
  /** Token lifetime in seconds; at least MIN_TOKEN_SECONDS. */
  expirationSeconds?: number;
  /** Which view the link opens. */
  view?: 'aggregation' | 'certificates' | 'doctor';
  timeoutMs?: number;
}

export interface LoginLink {
  url: string;
  expiresAt: string;
  serviceAccount: string;
}

export class LoginLinkError extends Error {
  override readonly name = 'LoginLinkError';
}

interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

function call(conn: KubeConnection, method: string, path: string, body: unknown, timeoutMs: number): Promise<JsonResponse> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, conn.server), {
      method,
      ca: conn.ca,
      cert: conn.cert,
      key: conn.key,
      servername: conn.tlsServerName,
      rejectUnauthorized: !conn.insecureSkipTLSVerify,
      agent: false,
      timeout: timeoutMs,
      headers: {
        accept: 'application/json',
        ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
        ...(conn.token ? { authorization: `Bearer ${conn.token}` } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown> = {};
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          parsed = { message: text.slice(0, 200) };
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new LoginLinkError(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

function failed(what: string, res: JsonResponse): LoginLinkError {
  const message = typeof res.body.message === 'string' ? res.body.message : `HTTP ${res.status}`;
  return new LoginLinkError(`${what}: ${message}`);
}

/** Creates `object` at `collection` unless `collection/name` exists; replaces a role's rules. */
async function ensure(conn: KubeConnection, collection: string, object: Record<string, unknown> & { metadata: { name: string; namespace?: string } }, timeoutMs: number, replace: boolean): Promise<void> {
  const path = `${collection}/${object.metadata.name}`;
  const got = await call(conn, 'GET', path, undefined, timeoutMs);
  if (got.status === 404) {
    const made = await call(conn, 'POST', collection, object, timeoutMs);
    if (made.status !== 201 && made.status !== 200 && made.status !== 409) throw failed(`create ${path}`, made);
    return;
  }
  if (got.status !== 200) throw failed(`read ${path}`, got);
  if (!replace) return;
  const meta = got.body.metadata as { resourceVersion?: string } | undefined;
  const put = await call(conn, 'PUT', path, { ...object, metadata: { ...object.metadata, resourceVersion: meta?.resourceVersion } }, timeoutMs);
  if (put.status !== 200) throw failed(`update ${path}`, put);
}

/** Sets up the console's account (idempotent) and returns a link with a fresh token. */
export async function createLoginLink(conn: KubeConnection, options: LoginLinkOptions = {}): Promise<LoginLink> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const seconds = Math.max(MIN_TOKEN_SECONDS, Math.floor(options.expirationSeconds ?? MIN_TOKEN_SECONDS));
  const { namespace, name } = CONSOLE_ACCOUNT;
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  await ensure(conn, `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } }, timeoutMs, false);
  await ensure(conn, `${rbac}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: CONSOLE_ROLE }, rules: CONSOLE_RULES }, timeoutMs, true);
  await ensure(conn, `${rbac}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: CONSOLE_ROLE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CONSOLE_ROLE },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  }, timeoutMs, false);
  const tokenPath = `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`;
  const res = await call(conn, 'POST', tokenPath, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: seconds } }, timeoutMs);
  if (res.status !== 201 && res.status !== 200) throw failed(`request a token (${tokenPath})`, res);
  const status = res.body.status as { token?: string; expirationTimestamp?: string } | undefined;
  if (!status?.token) throw new LoginLinkError(`request a token (${tokenPath}): the answer has no status.token`);
  const base = new URL(CONSOLE_ROOT, conn.server);
  base.hash = `token=${encodeURIComponent(status.token)}${options.view ? `&view=${options.view}` : ''}`;
  return { url: base.toString(), expiresAt: status.expirationTimestamp ?? '', serviceAccount: `${namespace}/${name}` };
}
