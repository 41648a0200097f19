// Unknown-field detection for server-side field validation (kubectl.md §5.6): every
// key that the object's schema does not declare, named by its dotted path.
import { isPlainObject } from './json-merge-patch.ts';
import { resolveSchema, type Schema, type Schemas } from './schema.ts';

export function unknownFields(value: unknown, schemas: Schemas, schema: Schema | undefined, path = ''): string[] {
  const s = resolveSchema(schemas, schema);
  if (!s || s['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value)) {
    if (!s.items) return [];
    return value.flatMap((v, i) => unknownFields(v, schemas, s.items, `${path}[${i}]`));
  }
  if (!isPlainObject(value)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const child = path ? `${path}.${k}` : k;
    if (s.properties && Object.hasOwn(s.properties, k)) out.push(...unknownFields(v, schemas, s.properties[k], child));
    else if (typeof s.additionalProperties === 'object') out.push(...unknownFields(v, schemas, s.additionalProperties, child));
    else if (s.properties && s.additionalProperties !== true) out.push(child);
  }
  return out;
}
