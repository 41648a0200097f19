// Watch (k8s.io/apiserver handlers/watch.go; kubectl.md §4): chunked JSON events, one per
// line; Table events when asked (columns only on the first); selector transitions become
// ADDED/DELETED; a too-old resourceVersion is an ERROR event with a 410 Status.
import { setTimeout as delay } from 'node:timers/promises';
import { invalid } from '../../apimachinery/status.ts';
import type { StoredObject, WatchEvent, Watcher } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { listKey, objectKey } from './keys.ts';
import { parseListOptions, type ListOptions } from './list-options.ts';
import { negotiateOutput, type Output } from './negotiate.ts';
import { interpretStorageError } from './storage-errors.ts';
import { toStatus } from './responses.ts';
import { groupResource, withTypeMeta } from './rest-common.ts';
import { readList } from './rest-read.ts';
import { toTable } from './table-convert.ts';
import { groupVersion } from './resource.ts';
import { MEDIA } from '../../apimachinery/media-types.ts';
import { partialObjectMetadata } from '../../apimachinery/table.ts';

const MIN_REQUEST_TIMEOUT_S = 1800;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export async function watchObjects(r: RestRequest, pathName: string): Promise<void> {
  const opts = parseListOptions(r.def, r.query);
  const output = negotiateOutput(r.req.headers.accept, r.query);
  if (opts.sendInitialEvents !== undefined && opts.sendInitialEvents && (!opts.allowWatchBookmarks || opts.resourceVersionMatch !== 'NotOlderThan')) {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [{ path: 'sendInitialEvents', type: 'FieldValueForbidden', detail: 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and allowWatchBookmarks is true and resourceVersionMatch is NotOlderThan' }]);
  }
  const stream = new EventStream(r, output);
  const ref = { group: r.def.group, resource: r.def.plural };
  const key = pathName ? objectKey(r.registry.etcdPrefix, ref, r.namespace, pathName) : listKey(r.registry.etcdPrefix, ref, r.namespace);
  const matches = (o: StoredObject | undefined) => o !== undefined && (!pathName || o.metadata.name === pathName) && opts.predicate(o);

  const initial = opts.resourceVersion === '' || opts.resourceVersion === '0' || opts.sendInitialEvents === true;
  let from = Number(opts.resourceVersion || 0);
  let initialItems: StoredObject[] = [];
  if (initial && opts.sendInitialEvents !== false) {
    const page = await readList(r, { ...opts, limit: 0, continue: '', resourceVersion: opts.sendInitialEvents ? opts.resourceVersion : '', resourceVersionMatch: '' });
    initialItems = page.items.filter(matches);
    from = page.revision;
  } else if (initial) {
    from = await r.registry.store.currentRevision();
  }

  const abort = new AbortController();
  const onClose = () => abort.abort();
  r.req.on('close', onClose);
  r.res.on('close', onClose);
  let watcher: Watcher | undefined;
  try {
    try {
      watcher = await r.registry.store.watch(key, { revision: from, recursive: !pathName, progressNotify: opts.allowWatchBookmarks, signal: abort.signal });
    } catch (err) {
      stream.start();
      stream.error(err);
      return;
    }
    stream.start();
    for (const o of initialItems) stream.send('ADDED', o);
    if (opts.sendInitialEvents) stream.bookmark(String(from), true);
    const seconds = opts.timeoutSeconds || MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
    const timer = delay(seconds * 1000, undefined, { signal: abort.signal }).then(() => abort.abort(), () => undefined);
    const w = watcher;
    abort.signal.addEventListener('abort', () => w.close(), { once: true });
    for await (const ev of w) {
      if (abort.signal.aborted) break;
      if (!stream.forward(ev, matches, opts)) break;
    }
    abort.abort();
    await timer;
  } finally {
    r.req.off('close', onClose);
    watcher?.close();
    stream.end();
  }
}

class EventStream {
  private first = true;

  constructor(
    private readonly r: RestRequest,
    private readonly output: Output,
  ) {}

  start(): void {
    this.r.res.writeHead(200, { 'Content-Type': MEDIA.json, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    this.r.res.flushHeaders();
  }

  /** Returns false when the stream must end. */
  forward(ev: WatchEvent, matches: (o: StoredObject | undefined) => boolean, opts: ListOptions): boolean {
    switch (ev.type) {
      case 'ERROR':
        this.error(ev.error);
        return false;
      case 'BOOKMARK':
        if (opts.allowWatchBookmarks) this.bookmark(String(ev.revision), false);
        return true;
      case 'ADDED':
        if (matches(ev.object)) this.send('ADDED', ev.object!);
        return true;
      case 'DELETED':
        if (matches(ev.object) || matches(ev.prevObject)) this.send('DELETED', ev.object ?? ev.prevObject!);
        return true;
      case 'MODIFIED': {
        const now = matches(ev.object);
        const before = ev.prevObject === undefined ? now : matches(ev.prevObject);
        if (now && before) this.send('MODIFIED', ev.object!);
        else if (now) this.send('ADDED', ev.object!);
        else if (before) this.send('DELETED', ev.object!);
        return true;
      }
    }
  }

  send(type: EventType, obj: StoredObject): void {
    const served = withTypeMeta(this.r.def, obj);
    let object: unknown = served;
    if (this.output.form === 'table') {
      object = toTable(this.r.def, [served], { resourceVersion: obj.metadata.resourceVersion }, { apiVersion: this.output.apiVersion, include: this.output.include, now: this.r.registry.clock(), withColumns: this.first });
      this.first = false;
    } else if (this.output.form === 'metadata') {
      object = { ...partialObjectMetadata(served), apiVersion: this.output.apiVersion };
    }
    this.write({ type, object });
  }

  bookmark(rv: string, initialEventsEnd: boolean): void {
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.write({ type: 'BOOKMARK', object: { kind: this.r.def.kind, apiVersion: groupVersion(this.r.def), metadata } });
  }

  error(err: unknown): void {
    this.write({ type: 'ERROR', object: toStatus(interpretStorageError(err, groupResource(this.r.def), '')) });
  }

  private write(ev: unknown): void {
    if (!this.r.res.writableEnded && !this.r.res.destroyed) this.r.res.write(`${JSON.stringify(ev)}\n`);
  }

  end(): void {
    if (!this.r.res.headersSent) this.start();
    if (!this.r.res.writableEnded) this.r.res.end();
  }
}
