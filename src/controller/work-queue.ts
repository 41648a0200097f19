// A keyed work queue (client-go workqueue): a key is queued once however often it is
// added, is never handed to two workers at once, and failed keys come back after an
// exponential per-key backoff. The clock comes in as an option for tests.
export interface WorkQueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

export interface WorkQueue {
  add(key: string): void;
  /** Re-adds after this key's backoff (base × 2^failures, capped). */
  addRateLimited(key: string): void;
  /** Clears the key's failure count after a successful sync. */
  forget(key: string): void;
  /** Resolves with the next key, or undefined after shutDown. */
  get(): Promise<string | undefined>;
  /** Must follow every get(); a key added while processing is queued again now. */
  done(key: string): void;
  failures(key: string): number;
  len(): number;
  shutDown(): void;
}

const defaultTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
};

export function createWorkQueue(options: WorkQueueOptions = {}): WorkQueue {
  const base = options.baseDelayMs ?? 5;
  const max = options.maxDelayMs ?? 60_000;
  const setTimer = options.setTimer ?? defaultTimer;
  const queue: string[] = [];
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const failures = new Map<string, number>();
  const timers = new Set<{ cancel(): void }>();
  const waiters: ((k: string | undefined) => void)[] = [];
  let shutting = false;

  function add(key: string): void {
    if (shutting || dirty.has(key)) return;
    dirty.add(key);
    if (processing.has(key)) return;
    const w = waiters.shift();
    if (w) {
      dirty.delete(key);
      processing.add(key);
      w(key);
    } else queue.push(key);
  }

  return {
    add,
    addRateLimited(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      const delay = Math.min(base * 2 ** n, max);
      const t = setTimer(() => {
        timers.delete(t);
        add(key);
      }, delay);
      timers.add(t);
    },
    forget: (key) => void failures.delete(key),
    failures: (key) => failures.get(key) ?? 0,
    get() {
      if (shutting) return Promise.resolve(undefined);
      const key = queue.shift();
      if (key !== undefined) {
        dirty.delete(key);
        processing.add(key);
        return Promise.resolve(key);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    done(key) {
      processing.delete(key);
      if (dirty.has(key)) {
        dirty.delete(key);
        add(key);
      }
    },
    len: () => queue.length,
    shutDown() {
      shutting = true;
      for (const t of timers) t.cancel();
      timers.clear();
      for (const w of waiters.splice(0)) w(undefined);
    },
  };
}
