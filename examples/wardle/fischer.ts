// Fischer (cluster-scoped), wardle.example.com/v1alpha1 only, as upstream: a list of
// flunder names that BanFlunder refuses to create.
import { AGE_COLUMN, NAME_COLUMN, age, arr, column, kind, str, type FieldError, type ResourceDefinition, type StoredObject } from '../../src/extension/mod.ts';
import { WARDLE_GROUP } from './flunder.ts';

const SCHEMA = 'com.example.wardle.v1alpha1.Fischer';

export function disallowedFlunders(o: StoredObject): string[] {
  return Array.isArray(o.disallowedFlunders) ? o.disallowedFlunders.filter((n): n is string => typeof n === 'string') : [];
}

function validate(o: StoredObject): FieldError[] {
  if (o.disallowedFlunders === undefined || o.disallowedFlunders === null) return [];
  if (!Array.isArray(o.disallowedFlunders)) return [{ path: 'disallowedFlunders', type: 'FieldValueTypeInvalid', value: o.disallowedFlunders, detail: 'must be a list of names' }];
  return o.disallowedFlunders.flatMap((n, i): FieldError[] => (typeof n === 'string' && n !== '' ? [] : [{ path: `disallowedFlunders[${i}]`, type: 'FieldValueInvalid', value: n, detail: 'must be a non-empty name' }]));
}

export const FISCHER_V1ALPHA1: ResourceDefinition = {
  group: WARDLE_GROUP,
  version: 'v1alpha1',
  kind: 'Fischer',
  listKind: 'FischerList',
  plural: 'fischers',
  singular: 'fischer',
  namespaced: false,
  strategicMerge: false,
  schemaName: SCHEMA,
  schemas: {
    [SCHEMA]: kind({ disallowedFlunders: arr(str(), 'DisallowedFlunders holds a list of Flunder.Names that are disallowed.') }, 'Fischer lists flunder names that may not be created.'),
  },
  strategy: { validate, validateUpdate: (o) => validate(o) },
  table: {
    columns: [NAME_COLUMN, column('Disallowed Flunders', 'string', 'DisallowedFlunders holds a list of Flunder.Names that are disallowed.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata.name, disallowedFlunders(o).join(','), age(o.metadata.creationTimestamp, now)],
  },
};
