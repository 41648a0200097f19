// One OpenAPI v3 document per group-version (kube-openapi handler3): the resources' paths
// and every component schema they reach, kinds tagged with the array-form
// `x-kubernetes-group-version-kind` (kubectl.md §6.2–6.3).
import { REF_PREFIX, type Schema, type Schemas } from '../../apimachinery/schema.ts';
import type { ServedResource } from '../discovery/documents.ts';
import { listSchemaName, resourcePaths } from './v3-paths.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ALWAYS = [`${META}.Patch`, `${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`];

/** Document keys as the root lists them: `api/v1`, `apis/rbac.authorization.k8s.io/v1`. */
export function documentKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function buildDocument(group: string, version: string, served: ServedResource[], schemas: Schemas, subresourceSchemas: Record<string, string>): Record<string, unknown> {
  const inGV = served.filter((s) => s.def.group === group && s.def.version === version);
  const paths: Record<string, unknown> = {};
  const components: Schemas = {};
  const subSchemas: string[] = [];
  const gvks = new Map<string, Array<{ group: string; version: string; kind: string }>>();
  const tag = (name: string, gvk: { group: string; version: string; kind: string }) => gvks.set(name, [...(gvks.get(name) ?? []), gvk]);
  for (const s of inGV) {
    const subs = s.subresources.map((x) => ({ ...x, schemaName: subresourceSchemas[`${x.group}/${x.version}/${x.kind}`] }));
    Object.assign(paths, resourcePaths(s.def, { subresources: subs }));
    if (!s.def.schemaName) continue;
    tag(s.def.schemaName, { group, version, kind: s.def.kind });
    if (!s.def.action) {
      components[listSchemaName(s.def)] = listSchema(s.def.schemaName, s.def.listKind);
      tag(listSchemaName(s.def), { group, version, kind: s.def.listKind });
    }
    for (const sub of subs) {
      if (!sub.schemaName) continue;
      tag(sub.schemaName, { group: sub.group, version: sub.version, kind: sub.kind });
      subSchemas.push(sub.schemaName);
    }
  }
  const roots = [...inGV.flatMap((s) => (s.def.schemaName ? [s.def.schemaName] : [])), ...subSchemas, ...ALWAYS];
  for (const name of closure(roots, { ...schemas, ...components })) {
    const base = components[name] ?? schemas[name];
    if (!base) continue;
    const gvk = gvks.get(name);
    components[name] = gvk ? { ...base, 'x-kubernetes-group-version-kind': gvk } : base;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: { schemas: sortKeys(components), securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } },
    security: [{ BearerToken: [] }],
  };
}

function listSchema(itemName: string, listKind: string): Schema {
  return {
    type: 'object',
    description: `${listKind} is a list of objects.`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      items: { type: 'array', items: { allOf: [{ $ref: `${REF_PREFIX}${itemName}` }], default: {} } },
      kind: { type: 'string' },
      metadata: { allOf: [{ $ref: `${REF_PREFIX}${META}.ListMeta` }], default: {} },
    },
  };
}

/** Every component reachable from `roots` through $ref. */
function closure(roots: string[], schemas: Schemas): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name) || !schemas[name]) continue;
    seen.add(name);
    for (const m of JSON.stringify(schemas[name]).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) stack.push(m[1]);
  }
  return [...seen];
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
