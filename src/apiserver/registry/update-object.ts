// The shared update pipeline of PUT, PATCH and /status writes: keep server-owned metadata,
// honour the status subresource, run the strategy, admission and validation, and report
// a no-op so the stored resourceVersion is not bumped (kubectl.md §5.4).
import { isDeepStrictEqual } from 'node:util';
import { conflict } from '../../apimachinery/status.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { metadataOf, prepareUpdateMeta } from './object-meta.ts';
import { groupResource, keyOf, runAdmission, storage, withTypeMeta } from './rest-common.ts';
import { CONFLICT_MESSAGE } from './storage-errors.ts';
import { validateUpdate } from './validate-object.ts';

/** Builds the object to store from `incoming`, or returns undefined when nothing changes. */
export async function prepareUpdate(r: RestRequest, incoming: StoredObject, current: StoredObject): Promise<StoredObject | undefined> {
  const sentRV = incoming.metadata.resourceVersion;
  if (sentRV && sentRV !== current.metadata.resourceVersion) throw conflict(groupResource(r.def), r.name, CONFLICT_MESSAGE);
  let next: StoredObject;
  if (r.info.subresource === 'status') {
    next = { ...structuredClone(current), status: incoming.status };
  } else {
    next = structuredClone(incoming);
    metadataOf(next);
    if (r.def.statusSubresource) {
      if (current.status === undefined) delete next.status;
      else next.status = structuredClone(current.status);
    }
  }
  prepareUpdateMeta(next.metadata, current.metadata);
  next.apiVersion = current.apiVersion ?? next.apiVersion;
  next.kind = current.kind ?? next.kind;
  r.def.strategy?.prepareForUpdate?.(next, current);
  if (isDeepStrictEqual(next, current)) return undefined;
  await runAdmission(r, 'UPDATE', next, current);
  validateUpdate(r.def, next, current);
  return withTypeMeta(r.def, next);
}

/**
 * After an update: an object being deleted whose last finalizer was removed is deleted now
 * (k8s.io/apiserver registry.Store deleteForEmptyFinalizers).
 */
export async function finishUpdate(r: RestRequest, obj: StoredObject): Promise<StoredObject> {
  const finalizers = obj.metadata.finalizers as unknown[] | undefined;
  if (obj.metadata.deletionTimestamp && (!finalizers || finalizers.length === 0)) {
    return storage(r, r.name, () => r.registry.store.delete(keyOf(r, r.name), { preconditions: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } }));
  }
  return obj;
}
