// ListOptions from the query string: selectors, paging and resourceVersion semantics
// (k8s.io/apimachinery meta/v1 ListOptions; kubectl.md §3.5, §4.3).
import { checkSupportedFields, matchesFields, parseFieldSelector } from '../../apimachinery/field-selector.ts';
import { matchesRequirements, parseLabelSelector } from '../../apimachinery/label-selector.ts';
import { badRequest, invalid } from '../../apimachinery/status.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { ResourceDefinition } from './resource.ts';

export interface ListOptions {
  predicate: (obj: StoredObject) => boolean;
  limit: number;
  continue: string;
  /** '' when unset. */
  resourceVersion: string;
  resourceVersionMatch: '' | 'Exact' | 'NotOlderThan';
  timeoutSeconds: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean | undefined;
}

/** The field-selector values of an object: metadata.name, metadata.namespace and the resource's own. */
export function selectableFields(def: ResourceDefinition, obj: StoredObject): Record<string, string> {
  const base: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (def.namespaced) base['metadata.namespace'] = obj.metadata.namespace ?? '';
  return { ...base, ...(def.strategy?.selectableFields?.(obj) ?? {}) };
}

function nonNegativeInt(query: URLSearchParams, name: string): number {
  const v = query.get(name);
  if (v === null || v === '') return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

export function parseListOptions(def: ResourceDefinition, query: URLSearchParams): ListOptions {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  const supported = new Set(['metadata.name', ...(def.namespaced ? ['metadata.namespace'] : []), ...(def.fieldSelectors ?? [])]);
  checkSupportedFields(fields, supported);
  const rvm = query.get('resourceVersionMatch') ?? '';
  if (rvm !== '' && rvm !== 'Exact' && rvm !== 'NotOlderThan') {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [{ path: 'resourceVersionMatch', type: 'FieldValueNotSupported', value: rvm, detail: 'supported values: "Exact", "NotOlderThan"' }]);
  }
  const rv = query.get('resourceVersion') ?? '';
  const sie = query.get('sendInitialEvents');
  if (rvm !== '' && rv === '' && sie === null) {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [{ path: 'resourceVersionMatch', type: 'FieldValueForbidden', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' }]);
  }
  if (rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a valid resourceVersion`);
  return {
    predicate: (obj) => matchesRequirements(labels, obj.metadata.labels as Record<string, string> | undefined) && matchesFields(fields, selectableFields(def, obj)),
    limit: nonNegativeInt(query, 'limit'),
    continue: query.get('continue') ?? '',
    resourceVersion: rv,
    resourceVersionMatch: rvm,
    timeoutSeconds: nonNegativeInt(query, 'timeoutSeconds'),
    allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1',
    sendInitialEvents: sie === null ? undefined : sie === 'true' || sie === '1',
  };
}
