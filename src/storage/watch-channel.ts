// A Watcher fed by pushes: events queue up until the consumer pulls them. close() (or the
// abort signal) stops at once and drops what is queued, like k8s watch.Interface.Stop();
// end() lets the consumer drain the queue first (after a terminal ERROR event).
import type { WatchEvent, Watcher } from './interface.ts';

export interface WatchChannel extends Watcher {
  push(event: WatchEvent): void;
  /** Ends the stream after the queued events (used after a terminal ERROR event). */
  end(): void;
  readonly closed: boolean;
}

export function createWatchChannel(onClose: () => void, signal?: AbortSignal): WatchChannel {
  const queue: WatchEvent[] = [];
  let waiting: ((r: IteratorResult<WatchEvent>) => void) | undefined;
  let closed = false;
  let ended = false;

  const close = (): void => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    signal?.removeEventListener('abort', close);
    onClose();
    const w = waiting;
    waiting = undefined;
    w?.({ value: undefined, done: true });
  };
  signal?.addEventListener('abort', close, { once: true });
  if (signal?.aborted) close();

  const next = (): Promise<IteratorResult<WatchEvent>> => {
    const event = queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (closed || ended) {
      close();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => (waiting = resolve));
  };

  return {
    get closed() {
      return closed || ended;
    },
    push(event) {
      if (closed || ended) return;
      const w = waiting;
      if (w) {
        waiting = undefined;
        w({ value: event, done: false });
      } else queue.push(event);
    },
    end() {
      if (closed || ended) return;
      ended = true;
      const w = waiting;
      if (w) {
        waiting = undefined;
        close();
        w({ value: undefined, done: true });
      }
    },
    close,
    [Symbol.asyncIterator]() {
      return {
        next,
        return: () => {
          close();
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}
