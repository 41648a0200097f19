// A few builders for OpenAPI v3 schemas in kube-openapi's shape, so the built-in
// resources can declare their schemas compactly (and completely: strict field validation
// and strategic merge patch both walk them).
import { REF_PREFIX, type Schema } from '../../apimachinery/schema.ts';

const d = (description?: string): Schema => (description ? { description } : {});

export const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...d(description), ...extra });
export const int32 = (description?: string): Schema => ({ type: 'integer', format: 'int32', ...d(description) });
export const int64 = (description?: string): Schema => ({ type: 'integer', format: 'int64', ...d(description) });
export const bool = (description?: string): Schema => ({ type: 'boolean', ...d(description) });
export const dateTime = (description?: string): Schema => ({ type: 'string', format: 'date-time', ...d(description) });
export const bytes = (description?: string): Schema => ({ type: 'string', format: 'byte', ...d(description) });
export const intOrString = (description?: string): Schema => ({ type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true, ...d(description) });

/** A reference to a component, wrapped in allOf as kube-openapi v3 does so a description can sit beside it. */
export const ref = (name: string, description?: string, extra: Schema = {}): Schema => ({ allOf: [{ $ref: `${REF_PREFIX}${name}` }], ...d(description), ...extra });

export const mapOf = (values: Schema, description?: string): Schema => ({ type: 'object', additionalProperties: values, ...d(description) });
export const stringMap = (description?: string): Schema => mapOf({ type: 'string', default: '' }, description);

export interface ListOptions {
  mergeKey?: string;
  strategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}

export const arr = (items: Schema, description?: string, o: ListOptions = {}): Schema => ({
  type: 'array',
  items,
  ...d(description),
  ...(o.mergeKey ? { 'x-kubernetes-patch-merge-key': o.mergeKey } : {}),
  ...(o.strategy ? { 'x-kubernetes-patch-strategy': o.strategy } : {}),
  ...(o.listType ? { 'x-kubernetes-list-type': o.listType } : {}),
  ...(o.mapKeys ? { 'x-kubernetes-list-map-keys': o.mapKeys } : {}),
});

export const obj = (properties: Record<string, Schema>, description?: string, required?: string[]): Schema => ({
  type: 'object',
  ...d(description),
  properties,
  ...(required ? { required } : {}),
});

const API_VERSION_DOC = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** A top-level kind: apiVersion, kind, metadata plus its own fields. */
export const kind = (properties: Record<string, Schema>, description: string, required?: string[]): Schema =>
  obj(
    {
      apiVersion: str(API_VERSION_DOC),
      kind: str(KIND_DOC),
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", { default: {} }),
      ...properties,
    },
    description,
    required,
  );
