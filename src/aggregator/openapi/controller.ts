// OpenAPI aggregation (kube-aggregator pkg/controllers/openapi{,v3}, spec 3.7–3.8):
// remote /openapi/v2 and /openapi/v3 roots downloaded as system:aggregator (1 s after an
// APIService appears, every 60 s after success, backoff 60 s → 1 h after failure);
// /openapi/v2 merged with the delegate's document; /openapi/v3 index is the union of
// roots and each GV document is proxied live to whoever advertised it.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../../apiserver/request/context.ts';
import type { APIService } from '../apis/types.ts';
import type { RouteTable } from '../controllers/routes.ts';
import { callBackend } from '../proxy/client.ts';
import type { RouteSnapshot } from '../proxy/snapshot.ts';
import { filterSpec, mergeSpecs, type SwaggerSpec } from './merge-v2.ts';
import { convertV2ToV3 } from './v2-to-v3.ts';

export const OPENAPI_USER = { name: 'system:aggregator', groups: [] as string[], extra: {} };
const DOWNLOAD_TIMEOUT_MS = 60_000;

interface Downloaded {
  v2?: { spec: SwaggerSpec; etag: string };
  v3?: Record<string, { serverRelativeURL: string }>;
  /** For v2-only backends: the converted document served by the aggregator itself. */
  v3Converted?: { key: string; json: string; etag: string };
  failures: number;
}

export interface V3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenAPIOptions {
  routes: RouteTable;
  services: () => APIService[];
  local: Handler;
  /** The delegate's documents (undefined when it has none). */
  localV2: () => Promise<{ spec: SwaggerSpec; etag: string } | undefined>;
  localV3Index: () => Promise<V3Index | undefined>;
  proxy: (req: IncomingMessage, res: ServerResponse, snap: RouteSnapshot) => Promise<void>;
  refreshMs?: number;
  log?: (line: string) => void;
}

export interface OpenAPIAggregator {
  enqueue(name: string): void;
  remove(name: string): void;
  start(signal: AbortSignal): void;
  serveV2(req: IncomingMessage, res: ServerResponse): Promise<void>;
  serveV3Index(req: IncomingMessage, res: ServerResponse): Promise<void>;
  serveV3Document(req: IncomingMessage, res: ServerResponse): Promise<void>;
  mergedV2(): Promise<{ spec: SwaggerSpec; etag: string }>;
}

function groupPriority(services: readonly APIService[], group: string): number {
  return Math.max(0, ...services.filter((s) => (s.spec.group ?? '') === group).map((s) => s.spec.groupPriorityMinimum));
}

function acceptsJSON(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((r) => /^\s*(application\/json|\*\/\*|application\/\*)\s*(;|$)/i.test(r));
}

/** First retry after a failed download; doubles per failure up to an hour (upstream: failedUpdateMaxExpDelay). */
const FAILED_RETRY_MS = 1_000;

export function createOpenAPIAggregator(opts: OpenAPIOptions): OpenAPIAggregator {
  const refreshMs = opts.refreshMs ?? 60_000;
  const state = new Map<string, Downloaded>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Downloads under way, and those asked for again while under way (re-run when done). */
  const inFlight = new Set<string>();
  const rerun = new Set<string>();
  let stopped = false;
  let mergedCache: { key: string; value: { spec: SwaggerSpec; etag: string } } | undefined;

  function schedule(name: string, ms: number): void {
    clearTimeout(timers.get(name));
    if (stopped) return;
    const t = setTimeout(() => void download(name), ms);
    t.unref();
    timers.set(name, t);
  }

  async function download(name: string): Promise<void> {
    const snap = opts.routes.byName(name);
    if (!snap || snap.local) {
      state.delete(name);
      return;
    }
    const st = state.get(name) ?? { failures: 0 };
    state.set(name, st);
    inFlight.add(name);
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (st.v2?.etag && !st.v2.etag.startsWith('local:')) headers['if-none-match'] = st.v2.etag;
      const r = await callBackend(snap, { path: '/openapi/v2', user: OPENAPI_USER, headers, timeoutMs: DOWNLOAD_TIMEOUT_MS, honorAvailability: true });
      if (r.status === 404) throw new Error(`failed to download ${name}: resource not found`);
      if (r.status === 200) {
        const etagHeader = r.headers['etag'];
        const etag = typeof etagHeader === 'string' ? etagHeader : `local:${createHash('sha512').update(r.body).digest('hex')}`;
        if (st.v2?.etag !== etag) st.v2 = { spec: JSON.parse(r.body.toString('utf8')) as SwaggerSpec, etag };
      } else if (r.status !== 304) {
        throw new Error(`failed to download ${name}: failed to retrieve openAPI spec, http error: ResponseCode: ${r.status}, Body: ${r.body.toString('utf8').trim()}`);
      }
      const v3 = await callBackend(snap, { path: '/openapi/v3', user: OPENAPI_USER, headers: { accept: 'application/json' }, timeoutMs: DOWNLOAD_TIMEOUT_MS, honorAvailability: true });
      if (v3.status === 200) {
        st.v3 = (JSON.parse(v3.body.toString('utf8')) as V3Index).paths ?? {};
        st.v3Converted = undefined;
      } else if (v3.status === 404 && st.v2) {
        // v2-only backend: convert its group/version's part and serve it here (spec 3.8.4).
        const key = `apis/${snap.group}/${snap.version}`;
        const json = JSON.stringify(convertV2ToV3(filterSpec(st.v2.spec, `/${key}/`)));
        const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
        st.v3Converted = { key, json, etag: `"${hash}"` };
        st.v3 = { [key]: { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` } };
      }
      st.failures = 0;
      schedule(name, refreshMs);
    } catch (err) {
      st.failures++;
      opts.log?.(`loading OpenAPI spec for "${name}" failed with: ${err instanceof Error ? err.message : String(err)}`);
      schedule(name, Math.min(FAILED_RETRY_MS * 2 ** (st.failures - 1), 3_600_000));
    } finally {
      inFlight.delete(name);
      // A change arrived while downloading (e.g. the APIService just became Available):
      // its 1 s retry must not be overwritten by this attempt's schedule.
      if (rerun.delete(name)) schedule(name, FAILED_RETRY_MS);
    }
  }

  async function mergedV2(): Promise<{ spec: SwaggerSpec; etag: string }> {
    const local = await opts.localV2();
    const services = opts.services();
    const remotes = opts.routes
      .all()
      .filter((s) => !s.local && state.get(s.name)?.v2)
      .sort((a, b) => groupPriority(services, b.group) - groupPriority(services, a.group) || (a.name < b.name ? -1 : 1));
    const key = [local?.etag ?? '', ...remotes.map((s) => `${s.name}=${state.get(s.name)!.v2!.etag}`)].join('|');
    if (mergedCache?.key === key) return mergedCache.value;
    let spec: SwaggerSpec = local?.spec ?? { swagger: '2.0', info: { title: 'Kubernetes', version: 'v0' }, paths: {}, definitions: {} };
    for (const s of remotes) spec = mergeSpecs(spec, filterSpec(state.get(s.name)!.v2!.spec, `/apis/${s.group}/${s.version}/`));
    const value = { spec, etag: `"${createHash('sha256').update(key).digest('hex').toUpperCase()}"` };
    mergedCache = { key, value };
    return value;
  }

  function remoteV3Owner(key: string): RouteSnapshot | undefined {
    for (const s of opts.routes.all()) {
      if (s.local) continue;
      if (state.get(s.name)?.v3?.[key]) return s;
    }
    return undefined;
  }

  return {
    enqueue(name) {
      if (inFlight.has(name)) {
        rerun.add(name);
        return;
      }
      const st = state.get(name);
      // New or failing: 1 s; a healthy one keeps its refresh timer.
      if (!st || st.failures > 0 || !timers.has(name)) schedule(name, 1_000);
    },
    remove(name) {
      clearTimeout(timers.get(name));
      timers.delete(name);
      state.delete(name);
    },
    start(signal) {
      signal.addEventListener('abort', () => {
        stopped = true;
        for (const t of timers.values()) clearTimeout(t);
      }, { once: true });
    },
    mergedV2,
    async serveV2(req, res) {
      const hasRemote = opts.routes.all().some((s) => !s.local && state.get(s.name)?.v2);
      // Protobuf is the delegate's business; remote paths are merged into JSON only.
      if (!hasRemote || !acceptsJSON(req.headers.accept)) return opts.local(req, res);
      const { spec, etag } = await mergedV2();
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      const body = JSON.stringify(spec);
      res.writeHead(200, { 'content-type': 'application/json', etag, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
    async serveV3Index(_req, res) {
      const paths: V3Index['paths'] = { ...((await opts.localV3Index())?.paths ?? {}) };
      for (const s of opts.routes.all()) {
        if (s.local) continue;
        for (const [k, v] of Object.entries(state.get(s.name)?.v3 ?? {})) paths[k] = v;
      }
      const body = JSON.stringify({ paths });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
    async serveV3Document(req, res) {
      const key = new URL(req.url ?? '/', 'https://x.invalid').pathname.replace(/^\/openapi\/v3\//, '');
      const owner = remoteV3Owner(key);
      if (!owner) return opts.local(req, res);
      const converted = state.get(owner.name)?.v3Converted;
      if (converted?.key === key) {
        if (req.headers['if-none-match'] === converted.etag) {
          res.writeHead(304, { etag: converted.etag });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', etag: converted.etag, 'content-length': Buffer.byteLength(converted.json) });
        res.end(converted.json);
        return;
      }
      return opts.proxy(req, res, owner);
    },
  };
}
