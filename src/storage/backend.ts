// The key-value layer under every driver (kine's pkg/server/types.go, etcd's mvcc API):
// revision-returning calls over serialised values. `createKvStore` builds the Kubernetes
// storage semantics (codec, preconditions, paging, watch translation) on top of it once,
// so a new backend only has to provide these calls.

export interface KeyValue {
  key: string;
  /** Serialised object (JSON). */
  value: string;
  createRevision: number;
  /** For a deletion event: the deletion revision. */
  modRevision: number;
}

export interface KvEvent {
  type: 'put' | 'delete';
  /** After the change; for 'delete' the last value with the deletion revision. */
  kv: KeyValue;
  prevKv?: KeyValue;
}

/** What a backend watch delivers, in revision order. */
export type KvWatchMessage =
  | { kind: 'events'; events: KvEvent[] }
  /** Every change up to `revision` has been delivered. */
  | { kind: 'progress'; revision: number }
  /** Terminal: the watch ends after this (e.g. TooOld after compaction). */
  | { kind: 'error'; error: Error };

export interface KeyRange {
  /** First key (inclusive). */
  start: string;
  /** End key (exclusive); undefined: the single key `start`. */
  end?: string;
}

export interface RangeOptions {
  /** 0/undefined: latest. A compacted revision rejects with TooOld. */
  revision?: number;
  /** 0/undefined: no limit. */
  limit?: number;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** The revision the range was read at. */
  revision: number;
  /** Live keys in the whole range at that revision (ignoring `limit`). */
  count: number;
}

export type WriteResult = { ok: true; revision: number; prevKv?: KeyValue } | { ok: false; current?: KeyValue; revision: number };

export interface BackendWatchOptions {
  /** Deliver changes with revision > after; 0: from now. */
  after: number;
  progressNotify: boolean;
}

export interface Backend {
  range(range: KeyRange, options?: RangeOptions): Promise<RangeResult>;
  /** Fails with AlreadyExists when the key is live. Returns the new revision. */
  create(key: string, value: string): Promise<number>;
  /** Writes only when the key's mod revision is still `modRevision`. */
  update(key: string, value: string, modRevision: number): Promise<WriteResult>;
  /** Deletes only when the key's mod revision is still `modRevision`. */
  delete(key: string, modRevision: number): Promise<WriteResult>;
  /** Rejects with TooOld when `after` is compacted; otherwise subscribes, then replays. */
  watch(range: KeyRange, options: BackendWatchOptions, onMessage: (msg: KvWatchMessage) => void): Promise<() => void>;
  currentRevision(): Promise<number>;
  compact(revision: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The end of the range holding every key that starts with `prefix` (etcd's GetPrefixRangeEnd). */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export function inRange(range: KeyRange, key: string): boolean {
  return range.end === undefined ? key === range.start : key >= range.start && key < range.end;
}
