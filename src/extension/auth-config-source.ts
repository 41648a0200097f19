// Keeps the authentication snapshot current from the core API server (aggregation.md §5.2):
// one synchronous read at start (NotFound: nothing configured; Forbidden: a fatal error
// with upstream's hint unless failures are tolerated), then a watch on that one ConfigMap,
// re-listed whenever the stream ends, with bounded backoff on failures. A malformed update
// is logged and the previous snapshot stays.
import type { KubeClient, KubeWatchEvent } from '../client/kube-client.ts';
import { AUTH_CONFIGMAP_NAME, AUTH_CONFIGMAP_NAMESPACE, EMPTY_SNAPSHOT, parseAuthenticationConfigMap, type AuthenticationSnapshot } from './auth-config.ts';

export interface AuthenticationSource {
  current(): AuthenticationSnapshot;
  /** Called after every change of the snapshot. */
  onChange(listener: (s: AuthenticationSnapshot) => void): void;
  /** Reads once (see the rules above), then keeps watching until `signal` aborts. */
  start(signal: AbortSignal): Promise<void>;
}

export interface ConfigMapSourceOptions {
  client: KubeClient;
  tolerateLookupFailure?: boolean;
  log?: (line: string) => void;
  /** Server-side watch timeout; default 300 s. */
  watchTimeoutSeconds?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
}

const OBJECT_PATH = `/api/v1/namespaces/${AUTH_CONFIGMAP_NAMESPACE}/configmaps/${AUTH_CONFIGMAP_NAME}`;
const LIST_PATH = `/api/v1/namespaces/${AUTH_CONFIGMAP_NAMESPACE}/configmaps?fieldSelector=${encodeURIComponent(`metadata.name=${AUTH_CONFIGMAP_NAME}`)}`;

export const FORBIDDEN_HINT = `Unable to get configmap/${AUTH_CONFIGMAP_NAME} in ${AUTH_CONFIGMAP_NAMESPACE}.  Usually fixed by 'kubectl create rolebinding -n ${AUTH_CONFIGMAP_NAMESPACE} ROLEBINDING_NAME --role=extension-apiserver-authentication-reader --serviceaccount=YOUR_NS:YOUR_SA'`;

function messageOf(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string') return s.message;
  } catch {
    // not a Status
  }
  return body.slice(0, 300);
}

function dataOf(obj: Record<string, unknown> | undefined): Record<string, string> | undefined {
  const data = obj?.data;
  return data && typeof data === 'object' ? (data as Record<string, string>) : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function createConfigMapSource(options: ConfigMapSourceOptions): AuthenticationSource {
  const log = options.log ?? (() => {});
  const listeners: Array<(s: AuthenticationSnapshot) => void> = [];
  let snapshot = EMPTY_SNAPSHOT;

  const apply = (obj: Record<string, unknown> | undefined) => {
    try {
      snapshot = obj ? parseAuthenticationConfigMap(dataOf(obj)) : EMPTY_SNAPSHOT;
    } catch (err) {
      log(`kagg-extension: ${err instanceof Error ? err.message : String(err)}; keeping the previous configuration`);
      return;
    }
    for (const l of listeners) l(snapshot);
  };

  /** The object (or undefined) and the list revision to watch from. */
  const list = async (): Promise<string> => {
    const r = await options.client.request('GET', LIST_PATH);
    if (r.status !== 200) throw new Error(`list configmaps: ${r.status} ${messageOf(r.body)}`);
    const body = JSON.parse(r.body) as { items?: Record<string, unknown>[]; metadata?: { resourceVersion?: string } };
    apply(body.items?.[0]);
    return body.metadata?.resourceVersion ?? '0';
  };

  const loop = async (signal: AbortSignal, firstRevision: string | undefined) => {
    let rv: string | undefined = firstRevision;
    let backoff = options.backoffMs ?? 1000;
    const maxBackoff = options.maxBackoffMs ?? 30_000;
    const timeout = options.watchTimeoutSeconds ?? 300;
    while (!signal.aborted) {
      try {
        rv ??= await list();
        let gone = false;
        // A watch the server should have ended by now is abandoned (a silently dead connection).
        const deadline = AbortSignal.any([signal, AbortSignal.timeout((timeout + 30) * 1000)]);
        await options.client.watch(`${LIST_PATH}&watch=true&allowWatchBookmarks=true&timeoutSeconds=${timeout}&resourceVersion=${rv}`, (e: KubeWatchEvent) => {
          const meta = e.object.metadata as { resourceVersion?: string } | undefined;
          if (e.type === 'ERROR') {
            gone = true;
            return;
          }
          if (meta?.resourceVersion) rv = meta.resourceVersion;
          if (e.type === 'ADDED' || e.type === 'MODIFIED') apply(e.object);
          else if (e.type === 'DELETED') apply(undefined);
        }, deadline);
        if (gone) rv = undefined;
        backoff = options.backoffMs ?? 1000;
      } catch (err) {
        if (signal.aborted) return;
        log(`kagg-extension: watching configmap ${AUTH_CONFIGMAP_NAMESPACE}/${AUTH_CONFIGMAP_NAME}: ${err instanceof Error ? err.message : String(err)}`);
        rv = undefined;
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  };

  return {
    current: () => snapshot,
    onChange: (l) => void listeners.push(l),
    async start(signal) {
      const r = await options.client.request('GET', OBJECT_PATH);
      let found: Record<string, unknown> | undefined;
      if (r.status === 200) {
        try {
          found = JSON.parse(r.body) as Record<string, unknown>;
        } catch {
          throw new Error(`unable to load configmap based request-header-client-ca-file: the answer for ${OBJECT_PATH} is not JSON`);
        }
        apply(found);
      }
      else if (r.status === 404) log(`kagg-extension: configmap ${AUTH_CONFIGMAP_NAMESPACE}/${AUTH_CONFIGMAP_NAME} not found; request-header and client-certificate authentication are off until it exists`);
      else {
        if (r.status === 403) log(FORBIDDEN_HINT);
        const err = new Error(`unable to load configmap based request-header-client-ca-file: ${messageOf(r.body)}`);
        if (!options.tolerateLookupFailure) throw err;
        log(`kagg-extension: ${err.message} (tolerated)`);
      }
      const rv = (found?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
      void loop(signal, rv || undefined).catch((err: unknown) => log(`kagg-extension: configmap watch stopped: ${String(err)}`));
    },
  };
}
