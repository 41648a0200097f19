// Field ownership for server-side apply, kept deliberately basic: a manager owns the leaf
// paths of the configuration it applied (lists are atomic), recorded upstream-style as
// FieldsV1 (`{"f:data":{"f:key1":{}}}`) in metadata.managedFields.
import { isPlainObject } from '../../apimachinery/json-merge-patch.ts';

export type FieldPath = string[];

const SKIP_TOP = new Set(['apiVersion', 'kind']);
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation']);

export function leafPaths(obj: Record<string, unknown>): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (v: unknown, path: FieldPath) => {
    if (isPlainObject(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) {
        if (path.length === 0 && SKIP_TOP.has(k)) continue;
        if (path.length === 1 && path[0] === 'metadata' && SKIP_META.has(k)) continue;
        walk(x, [...path, k]);
      }
    } else if (path.length > 0) out.push(path);
  };
  walk(obj, []);
  return out;
}

export function toFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of p) {
      const k = `f:${seg}`;
      cur[k] ??= {};
      cur = cur[k] as Record<string, unknown>;
    }
  }
  return root;
}

export function fromFieldsV1(f: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isPlainObject(f)) return [];
  const entries = Object.entries(f).filter(([k]) => k.startsWith('f:'));
  if (entries.length === 0) return prefix.length > 0 ? [prefix] : [];
  return entries.flatMap(([k, v]) => fromFieldsV1(v, [...prefix, k.slice(2)]));
}

export function pathText(p: FieldPath): string {
  return `.${p.join('.')}`;
}

export function getAt(obj: unknown, p: FieldPath): unknown {
  let cur = obj;
  for (const seg of p) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

export function deleteAt(obj: Record<string, unknown>, p: FieldPath): void {
  let cur: unknown = obj;
  for (const seg of p.slice(0, -1)) {
    if (!isPlainObject(cur)) return;
    cur = cur[seg];
  }
  if (isPlainObject(cur)) delete cur[p[p.length - 1]];
}

/** Maps merge key by key; everything else (lists included) is replaced. */
export function mergeApplied(live: Record<string, unknown>, applied: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...live };
  for (const [k, v] of Object.entries(applied)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeApplied(out[k] as Record<string, unknown>, v) : structuredClone(v);
  }
  return out;
}
