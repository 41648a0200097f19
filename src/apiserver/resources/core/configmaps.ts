// core/v1 ConfigMap.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import { validateConfigKey } from '../../../apimachinery/validation.ts';
import type { FieldError } from '../../../apimachinery/status.ts';
import { bool, bytes, kind, mapOf } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const SCHEMA = 'io.k8s.api.core.v1.ConfigMap';

function validate(obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const data = (obj.data ?? {}) as Record<string, unknown>;
  const binary = (obj.binaryData ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...validateConfigKey(k, `data[${k}]`));
    if (typeof v !== 'string') errs.push({ path: `data[${k}]`, type: 'FieldValueTypeInvalid', detail: 'must be a string' });
  }
  for (const k of Object.keys(binary)) {
    errs.push(...validateConfigKey(k, `binaryData[${k}]`));
    if (Object.hasOwn(data, k)) errs.push({ path: `data[${k}]`, type: 'FieldValueInvalid', value: k, detail: 'duplicate of key present in binaryData' });
  }
  return errs;
}

export const configMaps: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  schemaName: SCHEMA,
  schemas: {
    [SCHEMA]: kind(
      {
        binaryData: mapOf(bytes(), "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet."),
        data: { type: 'object', additionalProperties: { type: 'string', default: '' }, description: "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process." },
        immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.'),
      },
      'ConfigMap holds configuration data for pods to consume.',
    ),
  },
  strategy: {
    validate: (o) => validate(o),
    validateUpdate: (o, old) => {
      const errs = validate(o);
      if (old.immutable === true) {
        if (JSON.stringify(o.data ?? {}) !== JSON.stringify(old.data ?? {}) || JSON.stringify(o.binaryData ?? {}) !== JSON.stringify(old.binaryData ?? {})) {
          errs.push({ path: 'data', type: 'FieldValueForbidden', detail: 'field is immutable when `immutable` is set' });
        }
        if (o.immutable !== true) errs.push({ path: 'immutable', type: 'FieldValueForbidden', detail: 'field is immutable when `immutable` is set' });
      }
      return errs;
    },
  },
  table: {
    columns: [NAME_COLUMN, column('Data', 'string', 'Data contains the configuration data.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata.name, Object.keys((o.data ?? {}) as object).length + Object.keys((o.binaryData ?? {}) as object).length, age(o.metadata.creationTimestamp, now)],
  },
};
