// Server-side apply, `application/apply-patch+yaml` (kubectl.md §5.3): create when absent
// (201), merge into the live object when present, conflicts with other managers' fields
// as 409 unless force=true, ownership in metadata.managedFields.
import { isDeepStrictEqual } from 'node:util';
import { StatusError, invalid } from '../../apimachinery/status.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { parseStructured } from './decode-body.ts';
import { validatePatchedFields } from './field-validation.ts';
import { deleteAt, fromFieldsV1, getAt, leafPaths, mergeApplied, pathText, toFieldsV1, type FieldPath } from './managed-fields.ts';
import { checkKind } from './object-kind.ts';
import { metadataOf } from './object-meta.ts';
import { createDecoded } from './rest-create.ts';
import { keyOf, respond, storage, timestamp } from './rest-common.ts';
import { groupVersion } from './resource.ts';
import { finishUpdate, prepareUpdate } from './update-object.ts';

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

export async function applyPatch(r: RestRequest, text: string): Promise<void> {
  const manager = r.query.get('fieldManager') ?? '';
  if (!manager) {
    throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [{ path: 'fieldManager', type: 'FieldValueRequired', detail: 'is required for apply patch' }]);
  }
  const force = r.query.get('force') === 'true';
  const applied = parseStructured(text, true);
  if (typeof applied !== 'object' || applied === null || Array.isArray(applied)) throw new StatusError('BadRequest', 'error decoding YAML: the apply patch must be an object');
  const cfg = applied as Record<string, unknown>;
  checkKind(cfg, r.def);
  validatePatchedFields(r, cfg, text);
  const meta = metadataOf(cfg);
  if (meta.name && meta.name !== r.name) throw new StatusError('BadRequest', `the name of the object (${String(meta.name)}) does not match the name on the URL (${r.name})`);
  meta.name = r.name;
  if (r.def.namespaced) meta.namespace = r.namespace;

  const key = keyOf(r, r.name);
  const paths = leafPaths(cfg);
  const entry = (): ManagedFieldsEntry => ({ manager, operation: 'Apply', apiVersion: groupVersion(r.def), time: timestamp(r.registry.clock()), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths) });

  let exists = true;
  try {
    await r.registry.store.get(key);
  } catch (err) {
    if (!isStorageError(err, 'NotFound')) throw err;
    exists = false;
  }
  if (!exists) {
    respond(r, 201, await createDecoded(r, structuredClone(cfg) as StoredObject, [entry()]));
    return;
  }
  const updated = await storage(r, r.name, () =>
    r.registry.store.guaranteedUpdate(key, async (current) => {
      if (!current) throw new Error('guaranteedUpdate without an object');
      const managed = ((current.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? []).map((e) => ({ ...e }));
      const conflicts = findConflicts(managed, manager, paths, current, cfg);
      if (conflicts.length > 0 && !force) throw conflictError(r, conflicts);
      const mine = managed.find((e) => e.manager === manager && e.operation === 'Apply');
      let next = structuredClone(current) as Record<string, unknown>;
      // Fields this manager applied before and dropped now are removed, unless others own them.
      const owned = new Set(managed.filter((e) => e !== mine).flatMap((e) => fromFieldsV1(e.fieldsV1).map(pathText)));
      const now = new Set(paths.map(pathText));
      for (const p of mine ? fromFieldsV1(mine.fieldsV1) : []) {
        if (!now.has(pathText(p)) && !owned.has(pathText(p))) deleteAt(next, p);
      }
      next = mergeApplied(next, cfg);
      let others = managed.filter((e) => e !== mine);
      if (force) others = others.map((e) => ({ ...e, fieldsV1: toFieldsV1(fromFieldsV1(e.fieldsV1).filter((p) => !now.has(pathText(p)))) }));
      others = others.filter((e) => fromFieldsV1(e.fieldsV1).length > 0);
      const prevEntry = mine && isDeepStrictEqual(mine.fieldsV1, toFieldsV1(paths)) ? mine : entry();
      (next.metadata as Record<string, unknown>).managedFields = [...others, prevEntry];
      return prepareUpdate(r, next as StoredObject, current);
    }),
  );
  respond(r, 200, await finishUpdate(r, updated));
}

interface Conflict {
  manager: string;
  apiVersion: string;
  path: FieldPath;
}

function findConflicts(managed: ManagedFieldsEntry[], manager: string, paths: FieldPath[], live: StoredObject, cfg: Record<string, unknown>): Conflict[] {
  const out: Conflict[] = [];
  for (const e of managed) {
    if (e.manager === manager) continue;
    const theirs = new Set(fromFieldsV1(e.fieldsV1).map(pathText));
    for (const p of paths) {
      if (theirs.has(pathText(p)) && !isDeepStrictEqual(getAt(live, p), getAt(cfg, p))) out.push({ manager: e.manager, apiVersion: e.apiVersion ?? '', path: p });
    }
  }
  return out;
}

function conflictError(r: RestRequest, conflicts: Conflict[]): StatusError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: pathText(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0];
    message = `Apply failed with 1 conflict: conflict with "${c.manager}" using ${c.apiVersion}: ${pathText(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathText(c.path)]);
    const parts = [...byManager].map(([m, ps]) => `conflicts with "${m}":\n${ps.map((p) => `- ${p}`).join('\n')}`);
    message = `Apply failed with ${conflicts.length} conflicts: ${parts.join('\n')}`;
  }
  return new StatusError('Conflict', message, { name: r.name, group: r.def.group, kind: r.def.plural, causes });
}
