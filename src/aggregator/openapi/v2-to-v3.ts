// Swagger 2.0 ⇒ OpenAPI 3.0 for backends that serve only /openapi/v2 (spec 3.8.4; upstream
// uses kube-openapi's ConvertV2ToV3): definitions become components.schemas, body
// parameters become requestBody, response schemas move under content per produced type.
import type { SwaggerSpec } from './merge-v2.ts';

type Json = Record<string, unknown>;

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/definitions\//, '#/components/schemas/') : rewriteRefs(v);
    }
    return out;
  }
  return node;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

function convertOperation(op: Json, produces: string[], consumes: string[]): Json {
  const out: Json = {};
  const params: Json[] = [];
  for (const [k, v] of Object.entries(op)) {
    if (k === 'parameters') continue;
    if (k === 'responses') {
      const responses: Json = {};
      for (const [code, r] of Object.entries((v ?? {}) as Json)) {
        const { schema, ...rest } = (r ?? {}) as Json;
        responses[code] = schema ? { ...rest, content: Object.fromEntries(((op.produces as string[] | undefined) ?? produces).map((t) => [t, { schema }])) } : rest;
      }
      out.responses = responses;
    } else if (k !== 'produces' && k !== 'consumes') out[k] = v;
  }
  for (const p of (op.parameters as Json[] | undefined) ?? []) {
    if (p.in === 'body') {
      out.requestBody = { content: Object.fromEntries(((op.consumes as string[] | undefined) ?? consumes).map((t) => [t, { schema: p.schema }])), ...(p.required ? { required: true } : {}) };
      continue;
    }
    const { type, format, items, enum: en, default: def, uniqueItems, ...rest } = p;
    const schema: Json = { type, ...(format ? { format } : {}), ...(items ? { items } : {}), ...(en ? { enum: en } : {}), ...(def !== undefined ? { default: def } : {}), ...(uniqueItems ? { uniqueItems } : {}) };
    params.push(p.$ref ? p : { ...rest, ...(type !== undefined ? { schema } : {}) });
  }
  if (params.length > 0) out.parameters = params;
  return out;
}

export function convertV2ToV3(spec: SwaggerSpec): Json {
  const produces = (spec.produces as string[] | undefined) ?? ['application/json'];
  const consumes = (spec.consumes as string[] | undefined) ?? ['application/json'];
  const paths: Json = {};
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const out: Json = {};
    for (const [k, v] of Object.entries((item ?? {}) as Json)) {
      if (HTTP_METHODS.has(k)) out[k] = convertOperation(v as Json, produces, consumes);
      else if (k === 'parameters') out.parameters = (v as Json[]).map((p) => convertOperation({ parameters: [p] }, produces, consumes).parameters).flat();
      else out[k] = v;
    }
    paths[path] = out;
  }
  return rewriteRefs({ openapi: '3.0.0', info: spec.info ?? { title: 'Kubernetes', version: 'unversioned' }, paths, components: { schemas: spec.definitions ?? {} } }) as Json;
}
