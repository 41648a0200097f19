// Merging Swagger 2.0 documents (kube-aggregator pkg/controllers/openapi/aggregator,
// spec 3.7.1–3.7.3): each remote spec filtered to its group/version's paths with only the
// definitions they reach; earlier path wins; a conflicting definition of a later spec is
// renamed (`<name>_v2`, `_v3`, …) and its references rewritten.
import { isDeepStrictEqual } from 'node:util';

export interface SwaggerSpec {
  swagger?: string;
  info?: Record<string, unknown>;
  paths?: Record<string, unknown>;
  definitions?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  [k: string]: unknown;
}

const REF_PREFIX = '#/definitions/';

function collectRefs(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) out.add(v.slice(REF_PREFIX.length));
      else collectRefs(v, out);
    }
  }
}

function rewriteRefs(node: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, renames));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) {
        const name = v.slice(REF_PREFIX.length);
        out[k] = `${REF_PREFIX}${renames.get(name) ?? name}`;
      } else out[k] = rewriteRefs(v, renames);
    }
    return out;
  }
  return node;
}

/** Keeps paths under `prefix` and the definitions they reach, transitively. */
export function filterSpec(spec: SwaggerSpec, prefix: string): SwaggerSpec {
  const paths: Record<string, unknown> = {};
  for (const [p, v] of Object.entries(spec.paths ?? {})) if (p.startsWith(prefix)) paths[p] = v;
  const defs = spec.definitions ?? {};
  const reached = new Set<string>();
  const pending = new Set<string>();
  collectRefs(paths, pending);
  collectRefs(spec.parameters ?? {}, pending);
  while (pending.size > 0) {
    const [name] = pending;
    pending.delete(name);
    if (reached.has(name) || !(name in defs)) continue;
    reached.add(name);
    const more = new Set<string>();
    collectRefs(defs[name], more);
    for (const m of more) if (!reached.has(m)) pending.add(m);
  }
  const definitions: Record<string, unknown> = {};
  for (const name of reached) definitions[name] = defs[name];
  return { ...spec, paths, definitions };
}

/** Merges `next` into `base` (returns a new document). */
export function mergeSpecs(base: SwaggerSpec, next: SwaggerSpec): SwaggerSpec {
  const definitions = { ...(base.definitions ?? {}) };
  const renames = new Map<string, string>();
  for (const [name, def] of Object.entries(next.definitions ?? {})) {
    if (!(name in definitions) || isDeepStrictEqual(definitions[name], def)) continue;
    let i = 2;
    while (`${name}_v${i}` in definitions || `${name}_v${i}` in (next.definitions ?? {})) i++;
    renames.set(name, `${name}_v${i}`);
  }
  const rewritten = renames.size > 0 ? (rewriteRefs(next, renames) as SwaggerSpec) : next;
  for (const [name, def] of Object.entries(rewritten.definitions ?? {})) {
    const target = renames.get(name) ?? name;
    if (!(target in definitions)) definitions[target] = def;
  }
  const paths = { ...(base.paths ?? {}) };
  for (const [p, v] of Object.entries(rewritten.paths ?? {})) if (!(p in paths)) paths[p] = v;
  const parameters = { ...(rewritten.parameters ?? {}), ...(base.parameters ?? {}) };
  return { ...base, paths, definitions, ...(Object.keys(parameters).length > 0 ? { parameters } : {}) };
}
