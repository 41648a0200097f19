// A Swagger 2.0 (OpenAPI v2) document derived from the v3 documents, for clients that
// ask /openapi/v2 for JSON. kubectl asks only for the protobuf form, which kagg does not
// serve (404 ⇒ kubectl skips it, kubectl.md §6.4).

type Json = Record<string, unknown>;

const V3_REF = '#/components/schemas/';

function rewriteRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll(`"${V3_REF}`, '"#/definitions/')) as T;
}

function parameter(p: Json): Json {
  const schema = (p.schema ?? {}) as Json;
  const { schema: _s, ...rest } = p;
  return { ...rest, ...schema };
}

function operation(op: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(op)) {
    if (k === 'requestBody' || k === 'responses' || k === 'parameters') continue;
    out[k] = v;
  }
  const params = ((op.parameters ?? []) as Json[]).map(parameter);
  const body = op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
  if (body?.content) {
    const types = Object.keys(body.content);
    out.consumes = types;
    params.unshift({ name: 'body', in: 'body', required: true, schema: body.content[types[0]]?.schema ?? {} });
  }
  if (params.length > 0) out.parameters = params;
  out.produces = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
  out.schemes = ['https'];
  const responses: Json = {};
  for (const [code, r] of Object.entries((op.responses ?? {}) as Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>)) {
    const schema = r.content ? Object.values(r.content)[0]?.schema : undefined;
    responses[code] = { description: r.description ?? '', ...(schema ? { schema } : {}) };
  }
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  return out;
}

export function swaggerFromV3(docs: Json[]): Json {
  const paths: Json = {};
  const definitions: Json = {};
  for (const doc of docs) {
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      const converted: Json = {};
      for (const [k, v] of Object.entries(item)) {
        converted[k] = k === 'parameters' ? (v as Json[]).map(parameter) : operation(v as Json);
      }
      paths[path] = converted;
    }
    Object.assign(definitions, ((doc.components ?? {}) as Json).schemas ?? {});
  }
  return rewriteRefs({
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    definitions,
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  });
}
