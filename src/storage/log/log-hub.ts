// Watch fan-out for drivers that keep a revision log (memory, SQLite), as kine's
// logstructured.Watch does it: a watcher subscribes first, then replays the log after its
// revision, then receives live events; anything at or below what it already got is
// dropped, so there is no gap and no duplicate. Progress ticks carry the hub's last
// published revision, which every live subscriber has already received.
import type { KeyRange, KvEvent, KvWatchMessage } from '../backend.ts';
import { inRange } from '../backend.ts';
import { tooOld, unavailable } from '../errors.ts';

export interface LogSource {
  /** Events with revision in (after, upTo], in order, at most `limit`. */
  readLog(after: number, upTo: number, limit: number): KvEvent[] | Promise<KvEvent[]>;
  compactRevision(): number;
}

interface Subscriber {
  range: KeyRange;
  progress: boolean;
  /** Highest revision delivered (or skipped as before the start). */
  last: number;
  /** Live events queued while the replay runs. */
  pending: KvEvent[] | undefined;
  send: (msg: KvWatchMessage) => void;
}

const REPLAY_PAGE = 500;

export interface LogHubOptions {
  /** Interval of progress messages (BOOKMARK source). Default 5 s. */
  progressIntervalMs?: number;
}

export class LogHub {
  #subs = new Set<Subscriber>();
  #last: number;
  #timer: NodeJS.Timeout | undefined;
  readonly #progressMs: number;

  constructor(
    private readonly source: LogSource,
    initialRevision: number,
    options: LogHubOptions = {},
  ) {
    this.#last = initialRevision;
    this.#progressMs = options.progressIntervalMs ?? 5_000;
  }

  get lastRevision(): number {
    return this.#last;
  }

  get size(): number {
    return this.#subs.size;
  }

  /** Delivers newly committed events; must be called in revision order. */
  publish(events: KvEvent[]): void {
    if (events.length === 0) return;
    this.#last = Math.max(this.#last, events[events.length - 1].kv.modRevision);
    for (const sub of this.#subs) {
      if (sub.pending) {
        sub.pending.push(...events);
        continue;
      }
      this.#deliver(sub, events);
    }
  }

  #deliver(sub: Subscriber, events: KvEvent[]): void {
    const out: KvEvent[] = [];
    for (const ev of events) {
      if (ev.kv.modRevision <= sub.last) continue;
      sub.last = ev.kv.modRevision;
      if (inRange(sub.range, ev.kv.key)) out.push(ev);
    }
    if (out.length > 0) sub.send({ kind: 'events', events: out });
  }

  async subscribe(range: KeyRange, after: number, progress: boolean, send: (msg: KvWatchMessage) => void): Promise<() => void> {
    const compacted = this.source.compactRevision();
    if (after > 0 && after + 1 < compacted) throw tooOld(range.start, after, compacted);
    const upTo = this.#last;
    const start = after > 0 ? after : upTo;
    const sub: Subscriber = { range, progress, last: start, pending: [], send };
    this.#subs.add(sub);
    this.#ensureTimer();
    const cancel = (): void => {
      this.#subs.delete(sub);
      if (this.#subs.size === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
    try {
      let from = start;
      while (from < upTo) {
        const events = await this.source.readLog(from, upTo, REPLAY_PAGE);
        if (events.length === 0) break;
        this.#deliver(sub, events);
        from = events[events.length - 1].kv.modRevision;
        if (from < upTo) await new Promise((resolve) => setImmediate(resolve));
        if (this.source.compactRevision() > after + 1 && after > 0) throw tooOld(range.start, after, this.source.compactRevision());
      }
    } catch (err) {
      cancel();
      throw err;
    }
    const pending = sub.pending ?? [];
    sub.pending = undefined;
    this.#deliver(sub, pending);
    return cancel;
  }

  #ensureTimer(): void {
    if (this.#timer || this.#progressMs <= 0) return;
    this.#timer = setInterval(() => {
      const rev = this.#last;
      for (const sub of this.#subs) {
        if (sub.progress && !sub.pending) {
          sub.last = Math.max(sub.last, rev);
          sub.send({ kind: 'progress', revision: rev });
        }
      }
    }, this.#progressMs);
    this.#timer.unref();
  }

  /** Ends every subscription with an Unavailable error (the store is closing). */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const subs = [...this.#subs];
    this.#subs.clear();
    for (const sub of subs) sub.send({ kind: 'error', error: unavailable(sub.range.start, 'storage is closed') });
  }
}
