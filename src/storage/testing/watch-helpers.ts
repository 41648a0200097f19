// Helpers for the contract suite: read a bounded number of watch events with a deadline.
import type { WatchEvent, Watcher } from '../interface.ts';

/** Reads events until `until` returns true or `timeoutMs` passes (then rejects, naming what arrived). */
export async function collectEvents(
  watcher: Watcher,
  until: (events: WatchEvent[]) => boolean,
  timeoutMs = 10_000,
  keep: (ev: WatchEvent) => boolean = (ev) => ev.type !== 'BOOKMARK',
): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  if (until(events)) return events;
  const it = watcher[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`watch: timed out after ${timeoutMs} ms with ${events.length} event(s): ${events.map((e) => `${e.type}@${e.revision}`).join(' ')}`)),
      timeoutMs,
    );
  });
  try {
    for (;;) {
      const r = await Promise.race([it.next(), deadline]);
      if (r.done) throw new Error(`watch ended after ${events.length} event(s)`);
      if (keep(r.value)) events.push(r.value);
      if (until(events)) return events;
    }
  } finally {
    clearTimeout(timer);
  }
}

export const countAtLeast = (n: number) => (events: WatchEvent[]) => events.length >= n;

export function describeEvents(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object?.metadata.name ?? ''} @${e.revision}`);
}
