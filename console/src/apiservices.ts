// The APIService list kept live by a watch, with each one's availability history over the
// last hour (client-side only; it starts when the page opens).
import { apiGet, watch, type WatchEvent } from './api.ts';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface APIService {
  metadata: { name: string; resourceVersion?: string; creationTimestamp?: string };
  spec: { group?: string; version?: string; service?: { namespace?: string; name?: string; port?: number } | null; insecureSkipTLSVerify?: boolean };
  status?: { conditions?: Condition[] };
}

interface APIServiceList {
  metadata: { resourceVersion?: string };
  items: APIService[];
}

export interface Sample {
  t: number;
  available: boolean;
}

export const HISTORY_MS = 60 * 60 * 1000;
const PATH = '/apis/apiregistration.k8s.io/v1/apiservices';

export function availableCondition(svc: APIService): Condition | undefined {
  return svc.status?.conditions?.find((c) => c.type === 'Available');
}

export function isAvailable(svc: APIService): boolean {
  return availableCondition(svc)?.status === 'True';
}

export class ApiServiceStore {
  readonly items = new Map<string, APIService>();
  readonly history = new Map<string, Sample[]>();
  error: string | undefined;
  connected = false;
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private record(svc: APIService, now: number): void {
    const samples = this.history.get(svc.metadata.name) ?? [];
    const available = isAvailable(svc);
    if (samples.length === 0 || samples[samples.length - 1].available !== available) samples.push({ t: now, available });
    // Keep the last state before the window so the sparkline starts with the right colour.
    while (samples.length > 1 && samples[1].t < now - HISTORY_MS) samples.shift();
    this.history.set(svc.metadata.name, samples);
  }

  private apply(e: WatchEvent<APIService>): void {
    if (e.type === 'BOOKMARK') return;
    if (e.type === 'ERROR') throw new Error((e.object as unknown as { message?: string }).message ?? 'watch error');
    const name = e.object.metadata.name;
    if (e.type === 'DELETED') {
      this.items.delete(name);
      this.history.delete(name);
    } else {
      this.items.set(name, e.object);
      this.record(e.object, Date.now());
    }
    this.emit();
  }

  /** List, then watch from the list's resourceVersion; on any end, wait and start over. */
  async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const list = await apiGet<APIServiceList>(PATH, signal);
        const now = Date.now();
        this.items.clear();
        for (const item of list.items) {
          this.items.set(item.metadata.name, item);
          this.record(item, now);
        }
        this.error = undefined;
        this.connected = true;
        this.emit();
        await watch<APIService>(`${PATH}?resourceVersion=${encodeURIComponent(list.metadata.resourceVersion ?? '')}&allowWatchBookmarks=true`, (e) => this.apply(e), signal);
      } catch (err) {
        if (signal.aborted) return;
        this.error = err instanceof Error ? err.message : String(err);
      }
      this.connected = false;
      this.emit();
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  stop(): void {
    this.abort.abort();
  }
}
