// The availability controllers (kube-aggregator pkg/controllers/status/{local,remote}).
// sync(name) reads the caches, runs the checks, and writes /status only when the
// Available condition changed (spec 4.1–4.4). The proxy learns the result from the
// APIService informer.
import { isDeepStrictEqual } from 'node:util';
import { createWorkQueue, type WorkQueue } from '../../controller/work-queue.ts';
import { DEFAULT_ETCD_PREFIX, objectKey } from '../../apiserver/registry/keys.ts';
import type { Store, StoredObject } from '../../storage/interface.ts';
import { rfc3339, setAPIServiceCondition } from '../apis/conditions.ts';
import { AVAILABLE, AVAILABLE_REASONS, LOCAL_AVAILABLE_MESSAGE, APISERVICE_RESOURCE, availableCondition, isLocal, type APIService } from '../apis/types.ts';
import type { RouteTable } from './routes.ts';
import { checkServiceAndEndpoints, type CheckResult } from './availability-checks.ts';
import type { AggregatorCaches } from './caches.ts';
import type { AvailabilityMetrics } from './metrics.ts';
import { probe } from './probe.ts';
import { SERVICE_NAME_LABEL } from './caches.ts';

export interface AvailabilityOptions {
  store: Store;
  etcdPrefix?: string;
  caches: AggregatorCaches;
  routes: RouteTable;
  metrics: AvailabilityMetrics;
  /** Re-check period of every APIService (upstream: informer resync 30 s). */
  resyncMs?: number;
  workers?: number;
  now?: () => Date;
  log?: (line: string) => void;
  probeOptions?: Parameters<typeof probe>[1];
}

export interface AvailabilityController {
  start(signal: AbortSignal): void;
  /** One sync, for tests: resolves after the status was written (or left). */
  sync(name: string): Promise<void>;
  enqueue(name: string): void;
}

export function createAvailabilityController(opts: AvailabilityOptions): AvailabilityController {
  const prefix = opts.etcdPrefix ?? DEFAULT_ETCD_PREFIX;
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => {});
  const queue: WorkQueue = createWorkQueue({ baseDelayMs: 5, maxDelayMs: 30_000 });

  async function writeCondition(svc: APIService, result: CheckResult): Promise<void> {
    const name = svc.metadata.name ?? '';
    const condition = { type: AVAILABLE, status: result.status, reason: result.reason, message: result.message, lastTransitionTime: rfc3339(now()) };
    const before = availableCondition(svc);
    const desired = setAPIServiceCondition(svc, condition);
    opts.metrics.set(name, result.status === 'True');
    if (isDeepStrictEqual(desired.status, svc.status)) return;
    await opts.store.guaranteedUpdate(objectKey(prefix, APISERVICE_RESOURCE, '', name), (current: StoredObject | undefined) => {
      if (!current) return undefined;
      const cur = current as unknown as APIService;
      const next = setAPIServiceCondition(cur, condition);
      if (isDeepStrictEqual(next.status, cur.status)) return undefined;
      return next as unknown as StoredObject;
    });
    if (before?.status !== result.status) {
      log(`changing APIService availability name=${name} oldStatus=${before?.status ?? ''} newStatus=${result.status} reason=${result.reason} message=${JSON.stringify(result.message)}`);
      if (result.status !== 'True') opts.metrics.transitionedToUnavailable(name, result.reason);
    }
  }

  /** Returns true when the result should be retried with backoff (FailedDiscoveryCheck). */
  async function syncOnce(name: string): Promise<boolean> {
    const svc = opts.caches.apiService(name);
    if (!svc) {
      opts.metrics.forget(name);
      return false;
    }
    if (isLocal(svc)) {
      await writeCondition(svc, { status: 'True', reason: AVAILABLE_REASONS.Local, message: LOCAL_AVAILABLE_MESSAGE });
      return false;
    }
    const ref = svc.spec.service!;
    const ns = ref.namespace ?? '';
    const svcName = ref.name ?? '';
    const failed = checkServiceAndEndpoints({
      namespace: ns,
      name: svcName,
      port: ref.port ?? 443,
      service: opts.caches.service(ns, svcName),
      slices: opts.caches.slicesFor(ns, svcName),
      endpoints: opts.caches.endpointsFor(ns, svcName),
    });
    if (failed) {
      await writeCondition(svc, failed);
      return false;
    }
    const snap = opts.routes.byName(name);
    if (!snap || snap.local) return true;
    // Step 6: a transport that cannot be built is a sync error; the status is left alone.
    if (snap.transport instanceof Error) throw snap.transport;
    const failure = await probe(snap, opts.probeOptions);
    if (failure === undefined) {
      await writeCondition(svc, { status: 'True', reason: AVAILABLE_REASONS.Passed, message: 'all checks passed' });
      return false;
    }
    await writeCondition(svc, { status: 'False', reason: AVAILABLE_REASONS.FailedDiscoveryCheck, message: failure });
    return true;
  }

  async function worker(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const retry = await syncOnce(key);
        if (retry) queue.addRateLimited(key);
        else queue.forget(key);
      } catch (err) {
        log(`availability sync of ${key} failed: ${err instanceof Error ? err.message : String(err)}`);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }

  const enqueueAll = () => {
    for (const s of opts.caches.allAPIServices()) queue.add(s.metadata.name ?? '');
  };
  const enqueueForService = (ns: string | undefined, name: string | undefined) => {
    for (const s of opts.caches.allAPIServices()) {
      if (s.spec.service && s.spec.service.namespace === ns && s.spec.service.name === name) queue.add(s.metadata.name ?? '');
    }
  };
  const serviceOfSlice = (o: StoredObject) => (o.metadata.labels as Record<string, string> | undefined)?.[SERVICE_NAME_LABEL];

  return {
    start(signal) {
      const name = (o: StoredObject) => String(o.metadata.name ?? '');
      opts.caches.apiServices.addHandlers({ onAdd: (o) => queue.add(name(o)), onUpdate: (_a, b) => queue.add(name(b)), onDelete: (o) => queue.add(name(o)) });
      const svcHandler = (o: StoredObject) => enqueueForService(o.metadata.namespace, o.metadata.name);
      opts.caches.services.addHandlers({ onAdd: svcHandler, onUpdate: (_a, b) => svcHandler(b), onDelete: svcHandler });
      opts.caches.endpoints.addHandlers({ onAdd: svcHandler, onUpdate: (_a, b) => svcHandler(b), onDelete: svcHandler });
      const sliceHandler = (o: StoredObject) => enqueueForService(o.metadata.namespace, serviceOfSlice(o));
      opts.caches.slices.addHandlers({ onAdd: sliceHandler, onUpdate: (a, b) => (sliceHandler(a), sliceHandler(b)), onDelete: sliceHandler });
      const timer = setInterval(enqueueAll, opts.resyncMs ?? 30_000);
      timer.unref();
      signal.addEventListener('abort', () => {
        clearInterval(timer);
        queue.shutDown();
      }, { once: true });
      for (let i = 0; i < (opts.workers ?? 5); i++) void worker(signal);
    },
    async sync(name) {
      await syncOnce(name);
    },
    enqueue: (name) => queue.add(name),
  };
}
