// DELETE of one object and of a collection (k8s.io/apiserver handlers/delete.go,
// registry/store.go): finalizers keep the object with a deletionTimestamp; otherwise
// it is removed and a Status Success names it (kubectl.md §5.5).
import { successStatus, conflict, forbidden } from '../../apimachinery/status.ts';
import type { Preconditions, StoredObject } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { parseStructured, readBody } from './decode-body.ts';
import { parseListOptions } from './list-options.ts';
import { groupResource, isDryRun, keyOf, respond, runAdmission, storage, timestamp, withTypeMeta } from './rest-common.ts';
import { readList } from './rest-read.ts';
import { CONFLICT_MESSAGE } from './storage-errors.ts';
import { groupVersion } from './resource.ts';
import { deleteNamespaceContents } from './namespace-deletion.ts';

/** Namespaces that may never be deleted (NamespaceLifecycle). */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const MAX_COLLECTION = 10_000;

interface DeleteOptions {
  preconditions?: Preconditions;
  propagationPolicy?: string;
}

async function deleteOptionsOf(r: RestRequest): Promise<DeleteOptions> {
  const body = await readBody(r.req);
  const text = body.toString('utf8').trim();
  const parsed = text ? parseStructured(text, false) : {};
  const opts = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as DeleteOptions;
  const policy = r.query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy;
  return opts;
}

export async function deleteObject(r: RestRequest): Promise<void> {
  const opts = await deleteOptionsOf(r);
  const result = await deleteOne(r, r.name, opts.preconditions ?? {}, isDryRun(r.query));
  respond(r, 200, result);
}

/** Deletes (or starts deleting) one object; returns the Status or the still-present object. */
export async function deleteOne(r: RestRequest, name: string, pre: Preconditions, dryRun: boolean): Promise<unknown> {
  if (r.def.group === '' && r.def.plural === 'namespaces' && IMMORTAL_NAMESPACES.has(name)) {
    throw forbidden(groupResource(r.def), name, 'this namespace may not be deleted');
  }
  const key = keyOf(r, name);
  const current = await storage(r, name, () => r.registry.store.get(key));
  if ((pre.uid && pre.uid !== current.metadata.uid) || (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)) {
    throw conflict(groupResource(r.def), name, pre.uid && pre.uid !== current.metadata.uid ? `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}` : CONFLICT_MESSAGE);
  }
  await runAdmission(r, 'DELETE', undefined, current);
  if (dryRun) return withTypeMeta(r.def, current);
  const finalizers = (current.metadata.finalizers as string[] | undefined) ?? [];
  if (finalizers.length > 0) {
    const marked = await storage(r, name, () =>
      r.registry.store.guaranteedUpdate(key, (cur) => {
        if (!cur || cur.metadata.deletionTimestamp) return undefined;
        return { ...cur, metadata: { ...cur.metadata, deletionTimestamp: timestamp(r.registry.clock()), deletionGracePeriodSeconds: 0 } };
      }),
    );
    return withTypeMeta(r.def, marked);
  }
  if (r.def.group === '' && r.def.plural === 'namespaces') await deleteNamespaceContents(r.registry, name);
  const deleted = await storage(r, name, () => r.registry.store.delete(key, { preconditions: { uid: current.metadata.uid } }));
  return successStatus({ name, ...(r.def.group ? { group: r.def.group } : {}), kind: r.def.plural, uid: deleted.metadata.uid });
}

export async function deleteCollection(r: RestRequest): Promise<void> {
  const body = await deleteOptionsOf(r);
  const opts = { ...parseListOptions(r.def, r.query), limit: 0, continue: '' };
  const page = await readList(r, opts);
  const dryRun = isDryRun(r.query);
  const items: StoredObject[] = [];
  for (const obj of page.items.slice(0, MAX_COLLECTION)) {
    const sub: RestRequest = { ...r, namespace: obj.metadata.namespace ?? r.namespace };
    const out = await deleteOne(sub, obj.metadata.name ?? '', body.preconditions ?? {}, dryRun).catch((err: unknown) => {
      if (err instanceof Error && 'reason' in err && (err as { reason: unknown }).reason === 'NotFound') return undefined;
      throw err;
    });
    if (out !== undefined) items.push(withTypeMeta(r.def, obj));
  }
  respond(r, 200, { kind: r.def.listKind, apiVersion: groupVersion(r.def), metadata: { resourceVersion: String(page.revision) }, items });
}
