// OpenAPI v3 schema objects as kube-openapi publishes them, plus the resolver that the
// strategic merge patch, unknown-field detection and `kubectl explain` all walk.

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  $ref?: string;
  allOf?: Schema[];
  default?: unknown;
  enum?: string[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-unions'?: unknown[];
}

export type Schemas = Record<string, Schema>;

export const REF_PREFIX = '#/components/schemas/';

/** Follows `$ref` and a single-element `allOf` (kube-openapi wraps refs that carry a default). */
export function resolveSchema(schemas: Schemas, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 8; i++) {
    if (cur.$ref) cur = schemas[cur.$ref.slice(REF_PREFIX.length)];
    else if (cur.allOf && cur.allOf.length === 1 && !cur.properties) cur = cur.allOf[0];
    else return cur;
  }
  return cur;
}

/** The schema of property `key` inside an object schema, resolved. */
export function propertySchema(schemas: Schemas, s: Schema | undefined, key: string): Schema | undefined {
  const r = resolveSchema(schemas, s);
  if (!r) return undefined;
  if (r.properties && Object.hasOwn(r.properties, key)) return r.properties[key];
  if (typeof r.additionalProperties === 'object') return r.additionalProperties;
  return undefined;
}
