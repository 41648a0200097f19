// GET of one object and of a collection (k8s.io/apiserver handlers/get.go), with Table
// and PartialObjectMetadata output.
import type { ListResult, StoredObject } from '../../storage/interface.ts';
import type { ListMeta } from '../../apimachinery/table.ts';
import type { RestRequest } from './context.ts';
import { parseListOptions, type ListOptions } from './list-options.ts';
import { negotiateOutput, type Output } from './negotiate.ts';
import { keyOf, listKeyOf, respond, storage, withTypeMeta } from './rest-common.ts';
import { toTable } from './table-convert.ts';
import { groupVersion } from './resource.ts';
import { partialObjectMetadata } from '../../apimachinery/table.ts';

export async function getObject(r: RestRequest): Promise<void> {
  const output = negotiateOutput(r.req.headers.accept, r.query);
  const obj = await storage(r, r.name, () => r.registry.store.get(keyOf(r, r.name)));
  const served = withTypeMeta(r.def, obj);
  if (output.form === 'table') {
    respond(r, 200, toTable(r.def, [served], { resourceVersion: obj.metadata.resourceVersion }, { apiVersion: output.apiVersion, include: output.include, now: r.registry.clock(), withColumns: true }));
  } else if (output.form === 'metadata') {
    respond(r, 200, { ...partialObjectMetadata(served), apiVersion: output.apiVersion });
  } else {
    respond(r, 200, served);
  }
}

/** Reads one page of the collection with the ListOptions' resourceVersion semantics. */
export async function readList(r: RestRequest, opts: ListOptions): Promise<ListResult> {
  const rv = opts.resourceVersion;
  const exact = opts.resourceVersionMatch === 'Exact' || (opts.resourceVersionMatch === '' && opts.limit > 0 && rv !== '' && rv !== '0');
  const revision = rv === '' || rv === '0' ? undefined : Number(rv);
  return storage(r, '', () =>
    r.registry.store.list(listKeyOf(r), {
      revision,
      revisionMatch: revision === undefined ? undefined : exact ? 'exact' : 'notOlderThan',
      limit: opts.limit || undefined,
      continue: opts.continue || undefined,
      filter: opts.predicate,
    }),
  );
}

export async function listObjects(r: RestRequest): Promise<void> {
  const opts = parseListOptions(r.def, r.query);
  const output = negotiateOutput(r.req.headers.accept, r.query);
  const page = await readList(r, opts);
  respond(r, 200, renderList(r, page, output));
}

export function renderList(r: RestRequest, page: ListResult, output: Output): unknown {
  const meta: ListMeta = { resourceVersion: String(page.revision) };
  if (page.continue) meta.continue = page.continue;
  if (page.remainingItemCount !== undefined && page.continue) meta.remainingItemCount = page.remainingItemCount;
  const items: StoredObject[] = page.items.map((o) => withTypeMeta(r.def, o));
  if (output.form === 'table') {
    return toTable(r.def, items, meta, { apiVersion: output.apiVersion, include: output.include, now: r.registry.clock(), withColumns: true });
  }
  if (output.form === 'metadata') {
    return { kind: 'PartialObjectMetadataList', apiVersion: output.apiVersion, metadata: meta, items: items.map((o) => ({ ...partialObjectMetadata(o), apiVersion: output.apiVersion })) };
  }
  return { kind: r.def.listKind, apiVersion: groupVersion(r.def), metadata: meta, items };
}
