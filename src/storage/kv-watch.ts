// watch(): backend key-value events → ADDED / MODIFIED / DELETED / BOOKMARK, with the
// filter applied the k8s way (an object leaving the filter is DELETED for this watcher,
// one entering it is ADDED).
import type { Backend, KeyRange, KvEvent, KvWatchMessage } from './backend.ts';
import { prefixEnd } from './backend.ts';
import { decodeObject } from './codec.ts';
import type { StoredObject, WatchEvent, WatchOptions, Watcher } from './interface.ts';
import { createWatchChannel } from './watch-channel.ts';

function translate(ev: KvEvent, filter: ((obj: StoredObject) => boolean) | undefined): WatchEvent | undefined {
  const revision = ev.kv.modRevision;
  const prev = ev.prevKv ? decodeObject(ev.prevKv.key, ev.prevKv.value, ev.prevKv.modRevision) : undefined;
  if (ev.type === 'delete') {
    const object = decodeObject(ev.kv.key, ev.kv.value, revision);
    if (filter && !filter(object)) return undefined;
    return { type: 'DELETED', object, prevObject: prev, revision };
  }
  const object = decodeObject(ev.kv.key, ev.kv.value, revision);
  const created = !prev || ev.kv.createRevision === ev.kv.modRevision;
  if (!filter) return { type: created ? 'ADDED' : 'MODIFIED', object, prevObject: prev, revision };
  const curPasses = filter(object);
  const prevPasses = !created && prev !== undefined && filter(prev);
  if (curPasses && prevPasses) return { type: 'MODIFIED', object, prevObject: prev, revision };
  if (curPasses) return { type: 'ADDED', object, prevObject: prev, revision };
  if (prevPasses && prev) {
    const gone = decodeObject(ev.prevKv!.key, ev.prevKv!.value, revision);
    return { type: 'DELETED', object: gone, prevObject: prev, revision };
  }
  return undefined;
}

export async function watchObjects(backend: Backend, key: string, options: WatchOptions): Promise<Watcher> {
  const range: KeyRange = options.recursive ? { start: key, end: prefixEnd(key) } : { start: key };
  let cancel: (() => void) | undefined;
  let closedEarly = false;
  const channel = createWatchChannel(() => {
    if (cancel) cancel();
    else closedEarly = true;
  }, options.signal);
  const onMessage = (msg: KvWatchMessage): void => {
    if (msg.kind === 'events') {
      for (const ev of msg.events) {
        let event: WatchEvent | undefined;
        try {
          event = translate(ev, options.filter);
        } catch (error) {
          channel.push({ type: 'ERROR', revision: ev.kv.modRevision, error: error as Error });
          channel.end();
          cancel?.();
          return;
        }
        if (event) channel.push(event);
      }
    } else if (msg.kind === 'progress') {
      if (options.progressNotify) {
        channel.push({ type: 'BOOKMARK', revision: msg.revision, object: { metadata: { resourceVersion: String(msg.revision) } } });
      }
    } else {
      channel.push({ type: 'ERROR', revision: 0, error: msg.error });
      channel.end();
    }
  };
  cancel = await backend.watch(range, { after: options.revision > 0 ? options.revision : 0, progressNotify: options.progressNotify === true }, onMessage);
  if (closedEarly) cancel();
  return channel;
}
