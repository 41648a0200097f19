// Serialised writes with group commit: writes queued in the same tick run in one
// IMMEDIATE transaction (each in its own savepoint, so one failing write does not undo
// the others) and share one commit, hence one fsync. The batch is bounded so no single
// transaction holds the event loop for long.
import type { Database } from 'better-sqlite3';

interface Job {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 64;

export class WriteQueue {
  #jobs: Job[] = [];
  #scheduled = false;

  constructor(
    private readonly db: Database,
    private readonly afterCommit: () => void,
  ) {}

  enqueue<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#jobs.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const jobs = this.#jobs.splice(0, MAX_BATCH);
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const job of jobs) {
            try {
              results.push({ ok: true, value: this.db.transaction(job.run)() });
            } catch (error) {
              results.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const job of jobs) job.reject(error);
      this.#next();
      return;
    }
    // Committed (and synced): now acknowledge, then feed watchers.
    jobs.forEach((job, i) => {
      const r = results[i];
      if (r.ok) job.resolve(r.value);
      else job.reject(r.error);
    });
    try {
      this.afterCommit();
    } finally {
      this.#next();
    }
  }

  #next(): void {
    if (this.#jobs.length > 0) setImmediate(() => this.#flush());
    else this.#scheduled = false;
  }

  get pending(): number {
    return this.#jobs.length;
  }
}
