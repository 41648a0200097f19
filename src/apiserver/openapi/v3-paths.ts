// OpenAPI v3 path items for one resource, in kube-openapi's shape: every operation carries
// the object-form `x-kubernetes-group-version-kind` that `kubectl explain` and the
// fieldValidation verifier look for; PATCH lists fieldValidation and the patch media types
// (strategic merge only where it is implemented) (kubectl.md §5.6, §6.3).
import { REF_PREFIX } from '../../apimachinery/schema.ts';
import { MEDIA } from '../../apimachinery/media-types.ts';
import { verbsOf, type ResourceDefinition } from '../registry/resource.ts';

type Json = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const q = (name: string, type: 'string' | 'boolean' | 'integer', description: string): Json => ({ name, in: 'query', description, schema: { type, uniqueItems: true } });

const DRY_RUN = q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict');
const FORCE = q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.');
const LIST_PARAMS = [
  q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  q('sendInitialEvents', 'boolean', '`sendInitialEvents=true` may be set together with `watch=true`.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
];
const PATH_NAME = (what: string): Json => ({ name: 'name', in: 'path', description: `name of the ${what}`, required: true, schema: { type: 'string', uniqueItems: true } });
const PATH_NAMESPACE: Json = { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: { type: 'string', uniqueItems: true } };

const schemaRef = (name: string): Json => ({ $ref: `${REF_PREFIX}${name}` });
const content = (name: string): Json => ({ 'application/json': { schema: schemaRef(name) }, 'application/yaml': { schema: schemaRef(name) }, 'application/vnd.kubernetes.protobuf': { schema: schemaRef(name) } });
const ok = (name: string, code = '200'): Json => ({ [code]: { description: code === '201' ? 'Created' : 'OK', content: content(name) } });

function opName(verb: string, def: ResourceDefinition, scope: 'Namespaced' | '' | 'ForAllNamespaces', suffix = ''): string {
  const group = def.group ? def.group.replace(/\.k8s\.io$/, '').split('.').map(cap).join('') : 'Core';
  return `${verb}${group}${cap(def.version)}${scope === 'Namespaced' ? 'Namespaced' : ''}${def.kind}${suffix}${scope === 'ForAllNamespaces' ? 'ForAllNamespaces' : ''}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function listSchemaName(def: ResourceDefinition): string {
  return `${def.schemaName}List`;
}

/** Paths of one resource, keyed by URL template. */
export function resourcePaths(def: ResourceDefinition, served: { subresources: Array<{ name: string; group: string; version: string; kind: string; schemaName?: string }> }): Record<string, Json> {
  const schema = def.schemaName ?? `${META}.Status`;
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const coll = def.namespaced ? `${base}/namespaces/{namespace}/${def.plural}` : `${base}/${def.plural}`;
  const scope = def.namespaced ? 'Namespaced' : '';
  const nsParams = def.namespaced ? [PATH_NAMESPACE] : [];
  const op = (verb: string, action: string, extra: Json, suffix = '', sc: 'Namespaced' | '' | 'ForAllNamespaces' = scope): Json => ({
    operationId: opName(verb, def, sc, suffix),
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    tags: [def.group ? def.group : 'core_v1'],
    ...extra,
  });
  const verbs = verbsOf(def);
  const paths: Record<string, Json> = {};
  const body = { requestBody: { content: content(schema), required: true } };
  if (def.action) {
    paths[coll] = { parameters: nsParams, post: op('create', 'post', { ...body, parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], responses: { ...ok(schema), ...ok(schema, '201') } }) };
    return paths;
  }
  const collection: Json = { parameters: nsParams };
  if (verbs.includes('list')) collection.get = op('list', 'list', { parameters: LIST_PARAMS, responses: ok(listSchemaName(def)) });
  if (verbs.includes('create')) collection.post = op('create', 'post', { ...body, parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], responses: { ...ok(schema), ...ok(schema, '201') } });
  if (verbs.includes('deletecollection')) collection.delete = op('deletecollection', 'deletecollection', { parameters: LIST_PARAMS, responses: ok(`${META}.Status`) }, '', scope);
  paths[coll] = collection;

  const item: Json = { parameters: [PATH_NAME(def.kind), ...nsParams] };
  if (verbs.includes('get')) item.get = op('read', 'get', { responses: ok(schema) });
  if (verbs.includes('update')) item.put = op('replace', 'put', { ...body, parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], responses: { ...ok(schema), ...ok(schema, '201') } });
  if (verbs.includes('patch')) item.patch = op('patch', 'patch', { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], requestBody: patchBody(def), responses: { ...ok(schema), ...ok(schema, '201') } });
  if (verbs.includes('delete')) item.delete = op('delete', 'delete', { parameters: [DRY_RUN], responses: { ...ok(`${META}.Status`), ...ok(`${META}.Status`, '202') } });
  paths[`${coll}/{name}`] = item;

  if (def.namespaced && verbs.includes('list')) {
    paths[`${base}/${def.plural}`] = { get: op('list', 'list', { parameters: LIST_PARAMS, responses: ok(listSchemaName(def)) }, '', 'ForAllNamespaces') };
  }
  if (def.statusSubresource) {
    paths[`${coll}/{name}/status`] = {
      parameters: [PATH_NAME(def.kind), ...nsParams],
      get: op('read', 'get', { responses: ok(schema) }, 'Status'),
      put: op('replace', 'put', { ...body, parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], responses: ok(schema) }, 'Status'),
      patch: op('patch', 'patch', { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], requestBody: patchBody(def), responses: ok(schema) }, 'Status'),
    };
  }
  for (const sub of served.subresources) {
    if (!sub.schemaName) continue;
    paths[`${coll}/{name}/${sub.name}`] = {
      parameters: [PATH_NAME(sub.kind), ...nsParams],
      post: { ...op('create', 'post', { requestBody: { content: content(sub.schemaName), required: true }, parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], responses: { ...ok(sub.schemaName), ...ok(sub.schemaName, '201') } }, cap(sub.name)), 'x-kubernetes-group-version-kind': { group: sub.group, version: sub.version, kind: sub.kind } },
    };
  }
  return paths;
}

function patchBody(def: ResourceDefinition): Json {
  const patch = schemaRef(`${META}.Patch`);
  const types: string[] = [MEDIA.applyPatch, MEDIA.jsonPatch, MEDIA.mergePatch];
  if (def.strategicMerge !== false) types.push(MEDIA.strategicMergePatch);
  return { content: Object.fromEntries(types.map((t) => [t, { schema: patch }])), required: true };
}
