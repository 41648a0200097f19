// core/v1 Secret: stringData is merged into data on write and never stored.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import { validateConfigKey } from '../../../apimachinery/validation.ts';
import type { FieldError } from '../../../apimachinery/status.ts';
import type { StoredObject } from '../../../storage/interface.ts';
import { bool, bytes, kind, mapOf, str, stringMap } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const SCHEMA = 'io.k8s.api.core.v1.Secret';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function mergeStringData(o: StoredObject): void {
  if (o.stringData && typeof o.stringData === 'object') {
    const data = { ...((o.data ?? {}) as Record<string, string>) };
    for (const [k, v] of Object.entries(o.stringData as Record<string, unknown>)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    o.data = data;
  }
  delete o.stringData;
  if (!o.type) o.type = 'Opaque';
}

function validate(o: StoredObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries((o.data ?? {}) as Record<string, unknown>)) {
    errs.push(...validateConfigKey(k, `data[${k}]`));
    if (typeof v !== 'string' || !BASE64.test(v)) errs.push({ path: `data[${k}]`, type: 'FieldValueInvalid', value: '<secret contents redacted>', detail: 'must be base64-encoded' });
    else total += Buffer.from(v, 'base64').length;
  }
  if (total > 1024 * 1024) errs.push({ path: 'data', type: 'FieldValueTooLong', detail: 'may not have more than 1048576 bytes' });
  const data = (o.data ?? {}) as Record<string, unknown>;
  if (o.type === 'kubernetes.io/service-account-token') {
    const ann = (o.metadata.annotations ?? {}) as Record<string, string>;
    if (!ann['kubernetes.io/service-account.name']) errs.push({ path: 'metadata.annotations[kubernetes.io/service-account.name]', type: 'FieldValueRequired', detail: '' });
  }
  if (o.type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key']) if (!Object.hasOwn(data, k)) errs.push({ path: `data[${k}]`, type: 'FieldValueRequired', detail: '' });
  }
  if (o.type === 'kubernetes.io/dockerconfigjson' && !Object.hasOwn(data, '.dockerconfigjson')) errs.push({ path: 'data[.dockerconfigjson]', type: 'FieldValueRequired', detail: '' });
  return errs;
}

export const secrets: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  fieldSelectors: ['type'],
  schemaName: SCHEMA,
  schemas: {
    [SCHEMA]: kind(
      {
        data: mapOf(bytes(), "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
        immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.'),
        stringData: stringMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.'),
        type: str('Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
      },
      'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    ),
  },
  strategy: {
    prepareForCreate: mergeStringData,
    prepareForUpdate: (o) => mergeStringData(o),
    validate,
    validateUpdate: (o, old) => {
      const errs = validate(o);
      if ((o.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push({ path: 'type', type: 'FieldValueInvalid', value: o.type, detail: 'field is immutable' });
      if (old.immutable === true && JSON.stringify(o.data ?? {}) !== JSON.stringify(old.data ?? {})) errs.push({ path: 'data', type: 'FieldValueForbidden', detail: 'field is immutable when `immutable` is set' });
      return errs;
    },
    selectableFields: (o) => ({ type: String(o.type ?? '') }),
  },
  table: {
    columns: [NAME_COLUMN, column('Type', 'string', 'The type of the secret'), column('Data', 'string', 'The number of entries in the secret'), AGE_COLUMN],
    cells: (o, now) => [o.metadata.name, o.type ?? '', Object.keys((o.data ?? {}) as object).length, age(o.metadata.creationTimestamp, now)],
  },
};
