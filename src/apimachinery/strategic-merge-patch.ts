// Strategic merge patch (k8s.io/apimachinery pkg/util/strategicpatch), driven by the
// OpenAPI schema's patch metadata: maps merge, lists with a merge key merge by key,
// `$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/<f>` and
// `$setElementOrder/<f>` directives.
import { isPlainObject } from './json-merge-patch.ts';
import { propertySchema, resolveSchema, type Schema, type Schemas } from './schema.ts';
import { badRequest } from './status.ts';

type Obj = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

export function strategicMergePatch(original: Obj, patch: Obj, schemas: Schemas, schema: Schema | undefined): Obj {
  return mergeMap(original, patch, schemas, schema) ?? {};
}

function mergeMap(original: Obj, patch: Obj, schemas: Schemas, schema: Schema | undefined): Obj | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined && directive !== 'merge') throw badRequest(`Unrecognized $patch directive: ${String(directive)}`);

  const out: Obj = { ...original };
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  const orders: Array<[string, unknown[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ELEMENT_ORDER)) {
      if (Array.isArray(value)) orders.push([key.slice(SET_ELEMENT_ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(value)) out[field] = cur.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const fieldSchema = propertySchema(schemas, schema, key);
    const cur = out[key];
    if (isPlainObject(value)) {
      const resolved = resolveSchema(schemas, fieldSchema);
      if (resolved?.['x-kubernetes-map-type'] === 'atomic') out[key] = stripDirectives(value);
      else {
        const merged = mergeMap(isPlainObject(cur) ? cur : {}, value, schemas, fieldSchema);
        if (merged === undefined) delete out[key];
        else out[key] = merged;
      }
    } else if (Array.isArray(value)) {
      out[key] = mergeList(Array.isArray(cur) ? cur : [], value, schemas, fieldSchema);
    } else {
      out[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = applyOrder(list, order, mergeKeyOf(schemas, propertySchema(schemas, schema, field)));
  }
  return out;
}

function mergeKeyOf(schemas: Schemas, s: Schema | undefined): string | undefined {
  return resolveSchema(schemas, s)?.['x-kubernetes-patch-merge-key'] ?? s?.['x-kubernetes-patch-merge-key'];
}

function strategyOf(s: Schema | undefined): string[] {
  return (s?.['x-kubernetes-patch-strategy'] ?? '').split(',').filter(Boolean);
}

function mergeList(original: unknown[], patch: unknown[], schemas: Schemas, fieldSchema: Schema | undefined): unknown[] {
  const strategy = strategyOf(fieldSchema).concat(strategyOf(resolveSchema(schemas, fieldSchema)));
  if (!strategy.includes('merge')) {
    // A list-level `{$patch: replace}` element still means "replace".
    return patch.filter((v) => !(isPlainObject(v) && v[DIRECTIVE] === 'replace')).map((v) => (isPlainObject(v) ? stripDirectives(v) : v));
  }
  const mergeKey = mergeKeyOf(schemas, fieldSchema);
  if (patch.some((v) => isPlainObject(v) && v[DIRECTIVE] === 'replace')) {
    return patch.filter((v) => !(isPlainObject(v) && v[DIRECTIVE] === 'replace')).map((v) => (isPlainObject(v) ? stripDirectives(v) : v));
  }
  if (!mergeKey) {
    // Primitive set: union, keeping the original order.
    const out = [...original];
    for (const v of patch) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(v);
    return out;
  }
  const itemSchema = resolveSchema(schemas, fieldSchema)?.items;
  const out = [...original];
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const keyValue = item[mergeKey];
    const idx = out.findIndex((o) => isPlainObject(o) && o[mergeKey] === keyValue);
    if (item[DIRECTIVE] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(out[idx] as Obj, item, schemas, itemSchema);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      out.push(stripDirectives(item));
    }
  }
  return out;
}

function applyOrder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (v: unknown) => JSON.stringify(mergeKey && isPlainObject(v) ? v[mergeKey] : v);
  const rank = new Map(order.map((o, i) => [keyOf(o), i]));
  return [...list].sort((a, b) => (rank.get(keyOf(a)) ?? Number.MAX_SAFE_INTEGER) - (rank.get(keyOf(b)) ?? Number.MAX_SAFE_INTEGER));
}

function stripDirectives(v: Obj): Obj {
  const out: Obj = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE)) continue;
    out[k] = isPlainObject(val) ? stripDirectives(val) : val;
  }
  return out;
}
