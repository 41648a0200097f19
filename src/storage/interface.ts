// The storage contract (k8s.io/apiserver pkg/storage.Interface, kine's revision model):
// one global, monotonically increasing revision per store; every object's
// metadata.resourceVersion is the revision of its last write. Objects are plain JSON
// values with a `metadata` object; drivers serialise them.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  [k: string]: unknown;
}

export interface StoredObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** How `list` interprets `revision` (k8s ResourceVersionMatch). */
export type RevisionMatch = 'exact' | 'notOlderThan';

export interface ListOptions {
  /** 0 or undefined: the latest revision. */
  revision?: number;
  revisionMatch?: RevisionMatch;
  /** Page size; 0 or undefined: no limit. */
  limit?: number;
  /** Opaque token from a previous page; pins the revision of the first page. */
  continue?: string;
  /** Keep only matching objects; pages are still filled up to `limit`. */
  filter?: (obj: StoredObject) => boolean;
}

export interface ListResult {
  items: StoredObject[];
  /** The revision the list was read at. */
  revision: number;
  /** Set when more items exist. */
  continue?: string;
  remainingItemCount?: number;
}

export interface UpdateOptions {
  preconditions?: Preconditions;
  /** Create the object when it does not exist (tryUpdate then receives `undefined`). */
  ignoreNotFound?: boolean;
  /** Object the caller believes is current, to skip the first read. */
  cachedExisting?: StoredObject;
}

/** Returns the new object, or `undefined` to leave the stored object unchanged. */
export type TryUpdate = (current: StoredObject | undefined) => StoredObject | undefined | Promise<StoredObject | undefined>;

export interface DeleteOptions {
  preconditions?: Preconditions;
  /** Called with the current object before deleting; throw to refuse. */
  validateDeletion?: (current: StoredObject) => void | Promise<void>;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /** The object after the change; for DELETED the last state, with the deletion revision as resourceVersion. */
  object?: StoredObject;
  /** The previous object (MODIFIED, DELETED). */
  prevObject?: StoredObject;
  revision: number;
  /** For ERROR: the cause (a StorageError TooOld when the watch fell behind compaction). */
  error?: Error;
}

export interface WatchOptions {
  /** Deliver every change after this revision. 0: start at the current revision (no replay). */
  revision: number;
  /** Watch every key under the prefix (true) or the exact key (false). */
  recursive: boolean;
  filter?: (obj: StoredObject) => boolean;
  /** Emit BOOKMARK events carrying the current revision while idle. */
  progressNotify?: boolean;
  signal?: AbortSignal;
}

export interface Watcher extends AsyncIterable<WatchEvent> {
  /** Stops the watch; the iterator ends. */
  close(): void;
}

export interface Store {
  create(key: string, obj: StoredObject): Promise<StoredObject>;
  get(key: string): Promise<StoredObject>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Read-modify-write with retry on conflict (k8s GuaranteedUpdate). */
  guaranteedUpdate(key: string, tryUpdate: TryUpdate, options?: UpdateOptions): Promise<StoredObject>;
  delete(key: string, options?: DeleteOptions): Promise<StoredObject>;
  count(prefix: string): Promise<number>;
  /** Subscribes first, then replays every change after `revision`; rejects with TooOld when compacted. */
  watch(key: string, options: WatchOptions): Promise<Watcher>;
  currentRevision(): Promise<number>;
  /** Drops history at or below `revision`; returns the compaction revision. */
  compact(revision: number): Promise<number>;
  /** Ready check for /readyz: resolves when the backend answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
