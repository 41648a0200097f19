// Unknown-field detection for server-side field validation (kubectl.md §5.6): every
// key that the object's schema does not declare, named by its dotted path.
import { isPlainObject } from './json-merge-patch.ts';
import { resolveSchema, type Schema, type Schemas } from './schema.ts';

/** The unknown fields' paths; with `prune` they are also deleted from `value` (what decoding into a Go struct does). */
export function unknownFields(value: unknown, schemas: Schemas, schema: Schema | undefined, prune = false, path = ''): string[] {
  const s = resolveSchema(schemas, schema);
  if (!s || s['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value)) {
    if (!s.items) return [];
    return value.flatMap((v, i) => unknownFields(v, schemas, s.items, prune, `${path}[${i}]`));
  }
  if (!isPlainObject(value)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const child = path ? `${path}.${k}` : k;
    if (s.properties && Object.hasOwn(s.properties, k)) out.push(...unknownFields(v, schemas, s.properties[k], prune, child));
    else if (typeof s.additionalProperties === 'object') out.push(...unknownFields(v, schemas, s.additionalProperties, prune, child));
    else if (s.properties && s.additionalProperties !== true) {
      out.push(child);
      if (prune) delete value[k];
    }
  }
  return out;
}
