// Small helpers shared by the REST verb handlers.
import type { GroupResource } from '../../apimachinery/status.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { listKey, objectKey } from './keys.ts';
import { warningHeaders, writeJSON } from './responses.ts';
import { interpretStorageError } from './storage-errors.ts';
import { groupVersion, type ResourceDefinition } from './resource.ts';
import type { AdmissionOperation } from './admission.ts';

export function groupResource(def: ResourceDefinition): GroupResource {
  return { group: def.group, resource: def.plural };
}

export function keyOf(r: RestRequest, name: string): string {
  return objectKey(r.registry.etcdPrefix, { group: r.def.group, resource: r.def.plural }, r.namespace, name);
}

export function listKeyOf(r: RestRequest): string {
  return listKey(r.registry.etcdPrefix, { group: r.def.group, resource: r.def.plural }, r.namespace);
}

/** Runs a storage call, mapping storage errors to Status errors for this resource. */
export async function storage<T>(r: RestRequest, name: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw interpretStorageError(err, groupResource(r.def), name);
  }
}

export function respond(r: RestRequest, code: number, body: unknown): void {
  writeJSON(r.res, code, body, warningHeaders(r.warnings));
}

/** The object as served: apiVersion and kind always set. */
export function withTypeMeta(def: ResourceDefinition, obj: StoredObject): StoredObject {
  return { ...obj, apiVersion: groupVersion(def), kind: def.kind };
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

export async function runAdmission(r: RestRequest, operation: AdmissionOperation, object: StoredObject | undefined, oldObject: StoredObject | undefined): Promise<void> {
  const hooks = r.registry.admission[`${r.def.group}/${r.def.plural}`] ?? [];
  for (const hook of hooks) {
    await hook({
      operation,
      user: r.user,
      group: r.def.group,
      version: r.def.version,
      resource: r.def.plural,
      subresource: r.info.subresource,
      namespace: r.namespace,
      name: r.name || object?.metadata.name || '',
      object,
      oldObject,
      signal: r.signal,
    });
  }
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
