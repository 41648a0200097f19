// Drivers register by scheme, like kine's pkg/drivers/registry.go. A driver module is
// loaded only when its scheme is used, so `--storage memory` never loads better-sqlite3.
import type { Store } from './interface.ts';

export interface CommonStoreOptions {
  /** Compact history older than this; default 5 minutes (kube-apiserver). 0: never. */
  compactionIntervalMs?: number;
  /** Idle interval between watch progress notifications (BOOKMARK source). */
  progressIntervalMs?: number;
}

export interface MemoryStoreOptions extends CommonStoreOptions {
  type: 'memory';
}

export interface SqliteStoreOptions extends CommonStoreOptions {
  type: 'sqlite';
  /** Database file; created with its directory when missing. */
  path: string;
  /** 'FULL' (default) fsyncs the WAL on every commit; 'NORMAL' survives a process crash but not power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often to read the log for writes made by other processes. Default 1000 ms. */
  pollIntervalMs?: number;
}

export interface EtcdTlsOptions {
  /** PEM contents. */
  ca: string;
  cert: string;
  key: string;
}

export interface EtcdStoreOptions extends CommonStoreOptions {
  type: 'etcd';
  /** e.g. https://127.0.0.1:2379; tried in order, failing over on connection errors. */
  endpoints: string[];
  /** Prepended to every key in etcd (kine-style namespace). Default ''. */
  prefix?: string;
  tls?: EtcdTlsOptions;
  /** Bound on each unary request. Default 5000 ms. */
  requestTimeoutMs?: number;
  /** How long a broken watch keeps trying to resume before it ends with Unavailable. Default 60 s. */
  watchResumeTimeoutMs?: number;
}

export type StoreOptions = MemoryStoreOptions | SqliteStoreOptions | EtcdStoreOptions;
export type StoreType = StoreOptions['type'];

type Opener = (options: StoreOptions) => Promise<Store>;

const drivers = new Map<string, Opener>();

export function registerDriver<T extends StoreType>(type: T, open: (options: Extract<StoreOptions, { type: T }>) => Promise<Store>): void {
  drivers.set(type, open as Opener);
}

export function registeredDrivers(): string[] {
  return [...drivers.keys()].sort();
}

export async function openDriver(options: StoreOptions): Promise<Store> {
  const open = drivers.get(options.type);
  if (!open) throw new Error(`storage: no driver registered for "${options.type}" (have: ${registeredDrivers().join(', ')})`);
  return open(options);
}
