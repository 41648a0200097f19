// The HTTP availability probe (remote_available_controller.go, spec 4.3): 5 parallel
// attempts of GET /apis/<g>/<v> as system:kube-aggregator/system:masters with the proxy
// client cert; any 2xx passes; otherwise the error of the last attempt to finish.
import { callBackend, BackendCallError } from '../proxy/client.ts';
import { hostPort } from '../proxy/resolve.ts';
import type { RouteSnapshot } from '../proxy/snapshot.ts';

export const PROBE_USER = { name: 'system:kube-aggregator', groups: ['system:masters'], extra: {} } as const;
export const PROBE_ATTEMPTS = 5;
export const PROBE_TIMEOUT_MS = 5_000;
export const PROBE_WATCHDOG_MS = 6_000;

export function probePath(snap: Pick<RouteSnapshot, 'group' | 'version' | 'name'>): string {
  return snap.name === 'v1.' ? `/api/${snap.version}` : `/apis/${snap.group}/${snap.version}`;
}

async function attempt(snap: RouteSnapshot, timeoutMs: number, watchdogMs: number): Promise<void> {
  const path = probePath(snap);
  let url = '';
  const run = async () => {
    const addr = snap.resolve(); // resolve errors surface raw (spec 4.3 table)
    url = `https://${hostPort(addr)}${path}`;
    let r;
    try {
      r = await callBackend({ ...snap, resolve: () => addr }, { path, user: { ...PROBE_USER, groups: [...PROBE_USER.groups] }, timeoutMs });
    } catch (err) {
      let msg = err instanceof BackendCallError ? err.message : String(err);
      if (msg === 'context deadline exceeded') msg = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
      throw new Error(`failing or missing response from ${url}: Get "${url}": ${msg}`);
    }
    if (r.status < 200 || r.status > 299) throw new Error(`failing or missing response from ${url}: bad status from ${url}: ${r.status}`);
  };
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${url || path}`)), watchdogMs);
  });
  try {
    await Promise.race([run(), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves undefined when the backend answered 2xx, else the failure message. */
export async function probe(snap: RouteSnapshot, opts: { attempts?: number; timeoutMs?: number; watchdogMs?: number } = {}): Promise<string | undefined> {
  const n = opts.attempts ?? PROBE_ATTEMPTS;
  let lastError: string | undefined;
  let passed = false;
  await Promise.all(
    Array.from({ length: n }, () =>
      attempt(snap, opts.timeoutMs ?? PROBE_TIMEOUT_MS, opts.watchdogMs ?? PROBE_WATCHDOG_MS).then(
        () => {
          passed = true;
        },
        (err: Error) => {
          lastError = err.message;
        },
      ),
    ),
  );
  return passed ? undefined : lastError ?? 'unknown probe failure';
}
