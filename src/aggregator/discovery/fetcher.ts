// Fetches each remote APIService's own discovery (kube-aggregator handler_discovery.go,
// spec 3.6): GET /apis with the aggregated Accept as system:kube-aggregator, legacy
// fallback to /apis/<g>/<v>; results cached per Service with their ETag; re-fetched on
// every APIService change, 60 s after a success, with backoff after a failure.
import { callBackend, BackendCallError } from '../proxy/client.ts';
import type { RouteSnapshot } from '../proxy/snapshot.ts';
import { forcedAvailable } from '../proxy/snapshot.ts';
import type { RouteTable } from '../controllers/routes.ts';
import { AGGREGATED_ACCEPT, type APIGroupDiscoveryList, type APIResourceDiscovery, type APIResourceList } from './aggregated-types.ts';
import { convertResourceList, type RemoteVersion } from './aggregated.ts';

export const DISCOVERY_USER = { name: 'system:kube-aggregator', groups: ['system:masters'], extra: {} };
const FETCH_TIMEOUT_MS = 5_000;

interface ServiceCache {
  etag?: string;
  doc?: APIGroupDiscoveryList;
  fetchedAt: number;
}

export interface DiscoveryFetcher {
  /** The current remote entries, one per remote APIService that was fetched at least once. */
  remote(): RemoteVersion[];
  /** Marks an APIService dirty and fetches it (update events force "available"). */
  enqueue(name: string, isUpdate: boolean): void;
  remove(name: string): void;
  /** Fetches every remote APIService once (startup, before readiness). */
  fetchAll(): Promise<void>;
  start(signal: AbortSignal): void;
  /** Bumped whenever the merged document may have changed. */
  generation(): number;
}

export interface FetcherOptions {
  routes: RouteTable;
  refreshMs?: number;
  log?: (line: string) => void;
  onChange?: () => void;
}

function serviceKey(s: RouteSnapshot): string {
  return `${s.service?.namespace}/${s.service?.name}:${s.service?.port}`;
}

function isAggregatedV2(contentType: string | string[] | undefined): boolean {
  const ct = String(contentType ?? '').toLowerCase();
  return ct.includes('as=apigroupdiscoverylist') && ct.includes('g=apidiscovery.k8s.io') && /v=v2(;|$|,)/.test(ct.replace(/\s/g, ''));
}

export function createDiscoveryFetcher(opts: FetcherOptions): DiscoveryFetcher {
  const refreshMs = opts.refreshMs ?? 60_000;
  const perService = new Map<string, ServiceCache>();
  const results = new Map<string, RemoteVersion>();
  const dirtyAt = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  const failures = new Map<string, number>();
  const seen = new Set<string>();
  let gen = 0;
  let stopped = false;
  const changed = () => {
    gen++;
    opts.onChange?.();
  };

  async function fetchDoc(snap: RouteSnapshot): Promise<{ resources: APIResourceDiscovery[] }> {
    const key = serviceKey(snap);
    const cached = perService.get(key);
    let doc: APIGroupDiscoveryList | undefined;
    if (cached?.doc && cached.fetchedAt >= (dirtyAt.get(snap.name) ?? 0)) {
      doc = cached.doc;
    } else {
      const headers: Record<string, string> = { accept: AGGREGATED_ACCEPT };
      if (cached?.etag) headers['if-none-match'] = cached.etag;
      const r = await callBackend(snap, { path: '/apis', user: DISCOVERY_USER, headers, timeoutMs: FETCH_TIMEOUT_MS, honorAvailability: true });
      if (r.status === 304 && cached?.doc) {
        cached.fetchedAt = Date.now();
        doc = cached.doc;
      } else if (r.status === 503) {
        throw new Error(`service ${key} returned non-success response code: 503`);
      } else if (r.status === 200 && isAggregatedV2(r.headers['content-type'])) {
        doc = JSON.parse(r.body.toString('utf8')) as APIGroupDiscoveryList;
        const etag = r.headers['etag'];
        perService.set(key, { doc, etag: typeof etag === 'string' ? etag : undefined, fetchedAt: Date.now() });
      }
    }
    if (doc) {
      const group = doc.items?.find((g) => g.metadata?.name === snap.group);
      const version = group?.versions?.find((v) => v.version === snap.version);
      return { resources: version?.resources ?? [] };
    }
    // Legacy fallback, as system:kube-aggregator without groups; not cached per Service.
    const path = snap.group ? `/apis/${snap.group}/${snap.version}` : `/api/${snap.version}`;
    const legacy = await callBackend(snap, { path, user: { name: DISCOVERY_USER.name, groups: [], extra: {} }, headers: { accept: 'application/json' }, timeoutMs: FETCH_TIMEOUT_MS, honorAvailability: true });
    if (legacy.status !== 200) throw new Error(`failed to download legacy discovery for ${path}: ${legacy.status} ${legacy.body.toString('utf8').trim()}`);
    return { resources: convertResourceList(JSON.parse(legacy.body.toString('utf8')) as APIResourceList, snap.group, snap.version) };
  }

  function schedule(name: string, ms: number): void {
    clearTimeout(timers.get(name));
    if (stopped) return;
    const t = setTimeout(() => void run(name, true), ms);
    t.unref();
    timers.set(name, t);
  }

  async function run(name: string, isUpdate: boolean): Promise<void> {
    const current = opts.routes.byName(name);
    if (!current || current.local) {
      if (results.delete(name)) changed();
      return;
    }
    const snap = isUpdate ? forcedAvailable(current) : current;
    const prev = results.get(name);
    try {
      const { resources } = await fetchDoc(snap);
      results.set(name, { group: snap.group, version: snap.version, resources, freshness: 'Current' });
      failures.delete(name);
      schedule(name, refreshMs);
    } catch (err) {
      const msg = err instanceof BackendCallError || err instanceof Error ? err.message : String(err);
      opts.log?.(`discovery fetch of APIService ${name} failed: ${msg}`);
      results.set(name, { group: snap.group, version: snap.version, resources: prev?.resources ?? [], freshness: 'Stale' });
      const n = (failures.get(name) ?? 0) + 1;
      failures.set(name, n);
      schedule(name, Math.min(500 * 2 ** (n - 1), 60_000));
    }
    changed();
  }

  return {
    remote: () => [...results.values()],
    enqueue(name, isUpdate) {
      dirtyAt.set(name, Date.now());
      const first = !seen.has(name);
      seen.add(name);
      void run(name, isUpdate && !first);
    },
    remove(name) {
      clearTimeout(timers.get(name));
      timers.delete(name);
      seen.delete(name);
      if (results.delete(name)) changed();
    },
    async fetchAll() {
      await Promise.all(opts.routes.all().filter((s) => !s.local).map((s) => {
        seen.add(s.name);
        return run(s.name, false);
      }));
    },
    start(signal) {
      signal.addEventListener('abort', () => {
        stopped = true;
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
      }, { once: true });
    },
    generation: () => gen,
  };
}
