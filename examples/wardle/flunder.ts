// Flunder (namespaced), served as wardle.example.com/v1alpha1 and v1beta1 like
// kubernetes/sample-apiserver: v1alpha1 has `spec.reference` + `spec.referenceType`, v1beta1
// (the storage version) has `spec.fischerReference` / `spec.flunderReference` +
// `spec.referenceType`. Validation is upstream's ValidateFlunderSpec on the v1beta1 shape.
import { AGE_COLUMN, NAME_COLUMN, age, column, kind, obj, str, type FieldError, type KindConversion, type ResourceDefinition, type StoredObject } from '../../src/extension/mod.ts';

export const WARDLE_GROUP = 'wardle.example.com';

const REFERENCE_TYPES = ['Flunder', 'Fischer'] as const;

type Spec = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** v1alpha1 spec → v1beta1 spec (upstream's Convert_v1alpha1_FlunderSpec_To_wardle_FlunderSpec). */
export function specToV1beta1(spec: Spec): Spec {
  const out: Spec = {};
  const type = text(spec.referenceType);
  if (type) out.referenceType = type;
  if (type === 'Fischer' && text(spec.reference)) out.fischerReference = spec.reference;
  else if (text(spec.reference)) out.flunderReference = spec.reference;
  return out;
}

/** v1beta1 spec → v1alpha1 spec. */
export function specToV1alpha1(spec: Spec): Spec {
  const out: Spec = {};
  if (text(spec.referenceType)) out.referenceType = spec.referenceType;
  const reference = text(spec.fischerReference) || text(spec.flunderReference);
  if (reference) out.reference = reference;
  return out;
}

/** Upstream's ValidateFlunderSpec over the v1beta1 shape; `shown` maps a field to its path in the request's version. */
export function validateFlunderSpec(spec: Spec, path = (field: string) => `spec.${field}`): FieldError[] {
  const errs: FieldError[] = [];
  const flunder = text(spec.flunderReference);
  const fischer = text(spec.fischerReference);
  const type = text(spec.referenceType);
  if (flunder && fischer) errs.push({ path: path('fischerReference'), type: 'FieldValueInvalid', value: fischer, detail: 'cannot be set with flunderReference at the same time' });
  else if (flunder && type !== 'Flunder') errs.push({ path: path('flunderReference'), type: 'FieldValueInvalid', value: flunder, detail: 'cannot be set if referenceType is not Flunder' });
  else if (fischer && type !== 'Fischer') errs.push({ path: path('fischerReference'), type: 'FieldValueInvalid', value: fischer, detail: 'cannot be set if referenceType is not Fischer' });
  else if (!fischer && type === 'Fischer') errs.push({ path: path('fischerReference'), type: 'FieldValueInvalid', value: fischer, detail: 'cannot be empty if referenceType is Fischer' });
  else if (!flunder && type === 'Flunder') errs.push({ path: path('flunderReference'), type: 'FieldValueInvalid', value: flunder, detail: 'cannot be empty if referenceType is Flunder' });
  if (type && !(REFERENCE_TYPES as readonly string[]).includes(type)) errs.push({ path: path('referenceType'), type: 'FieldValueInvalid', value: type, detail: 'must be Flunder or Fischer' });
  return errs;
}

const specOf = (o: StoredObject): Spec => (o.spec && typeof o.spec === 'object' ? (o.spec as Spec) : {});

const REFERENCE_TYPE_DOC = 'The type of the reference: Flunder or Fischer.';

function definition(version: 'v1alpha1' | 'v1beta1'): ResourceDefinition {
  const schemaName = `com.example.wardle.${version}.Flunder`;
  const specName = `com.example.wardle.${version}.FlunderSpec`;
  const alpha = version === 'v1alpha1';
  const validate = (o: StoredObject) => (alpha
    ? validateFlunderSpec(specToV1beta1(specOf(o)), (f) => `spec.${f === 'referenceType' ? f : 'reference'}`)
    : validateFlunderSpec(specOf(o)));
  return {
    group: WARDLE_GROUP,
    version,
    kind: 'Flunder',
    listKind: 'FlunderList',
    plural: 'flunders',
    singular: 'flunder',
    namespaced: true,
    categories: ['all'],
    statusSubresource: false,
    strategicMerge: false,
    schemaName,
    schemas: {
      [specName]: obj(alpha
        ? { reference: str('A name of another flunder or fischer, depending on the reference type.'), referenceType: str(REFERENCE_TYPE_DOC) }
        : { fischerReference: str('A name of a fischer, set when referenceType is Fischer.'), flunderReference: str('A name of another flunder, set when referenceType is Flunder.'), referenceType: str(REFERENCE_TYPE_DOC) }),
      [`com.example.wardle.${version}.FlunderStatus`]: obj({}),
      [schemaName]: kind({
        spec: { allOf: [{ $ref: `#/components/schemas/${specName}` }], default: {} },
        status: { allOf: [{ $ref: `#/components/schemas/com.example.wardle.${version}.FlunderStatus` }], default: {} },
      }, 'Flunder is an example type with a spec and a status.'),
    },
    strategy: { validate, validateUpdate: (o) => validate(o) },
    table: {
      columns: [NAME_COLUMN, column('Reference Type', 'string', REFERENCE_TYPE_DOC), column('Reference', 'string', 'The referenced flunder or fischer.'), AGE_COLUMN],
      cells: (o, now) => {
        const s = specOf(o);
        return [o.metadata.name, text(s.referenceType), text(s.reference) || text(s.fischerReference) || text(s.flunderReference), age(o.metadata.creationTimestamp, now)];
      },
    },
  };
}

export const FLUNDER_V1ALPHA1 = definition('v1alpha1');
export const FLUNDER_V1BETA1 = definition('v1beta1');

/** Flunders are stored as v1beta1 and converted for v1alpha1 readers and writers. */
export const FLUNDER_CONVERSION: KindConversion = {
  group: WARDLE_GROUP,
  resource: 'flunders',
  versions: ['v1alpha1', 'v1beta1'],
  storageVersion: 'v1beta1',
  convert(o, version) {
    const spec = specOf(o);
    return { ...o, spec: version === 'v1alpha1' ? specToV1alpha1(spec) : specToV1beta1(spec) };
  },
};
