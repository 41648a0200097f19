// The API handler: discovery, OpenAPI and generic REST for every served resource, behind
// the filter chain (which sets the user and RequestInfo through request/context.ts).
//
//   const api = createAPIHandler({ store, actions, admission, extraResources });
//   await api.bootstrap();             // default, kube-system, kube-public
//   http.createServer(chain(api.handler))
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Schemas } from '../../apimachinery/schema.ts';
import { ANONYMOUS_USER, SYSTEM_GROUPS } from '../authn/user.ts';
import { aggregatedDiscovery, apiGroupList, apiResourceList, type ServedResource } from '../discovery/documents.ts';
import { serveDiscovery } from '../discovery/handler.ts';
import { serveOpenAPI, openAPIDocument, type OpenAPIDocument } from '../openapi/handler.ts';
import { META_SCHEMAS } from '../openapi/meta-schemas.ts';
import { buildDocument, documentKey } from '../openapi/v3-document.ts';
import { parseRequestInfo } from '../request/request-info.ts';
import { requestInfoOf, signalOf, urlOf, userOf, type Handler } from '../request/context.ts';
import { builtInResources } from '../resources/mod.ts';
import { REVIEW_SCHEMAS } from '../resources/auth/reviews.ts';
import type { Store } from '../../storage/interface.ts';
import type { Action } from './action.ts';
import type { AdmissionHook } from './admission.ts';
import type { Registry, RestRequest } from './context.ts';
import { routeNotFound } from './errors.ts';
import { DEFAULT_ETCD_PREFIX } from './keys.ts';
import { actionKey, type ResourceDefinition } from './resource.ts';
import { writeStatus } from './responses.ts';
import { routeResource } from './route.ts';
import { bootstrapNamespaces } from './bootstrap.ts';

export type { ResourceDefinition } from './resource.ts';

export interface APIHandlerOptions {
  store: Store;
  /** Default `/registry`. */
  etcdPrefix?: string;
  /** Computed resources by key: `authorization.k8s.io/v1/selfsubjectaccessreviews`, `v1/serviceaccounts/token`. */
  actions?: Record<string, Action>;
  /** Admission hooks by `group/resource`: `rbac.authorization.k8s.io/roles`, `/configmaps`. */
  admission?: Record<string, AdmissionHook[]>;
  /** Served besides the built-ins (APIService, extension kinds). */
  extraResources?: ResourceDefinition[];
  /** Serve the built-in resources (default true); an extension server serves only its own. */
  builtIns?: boolean;
  clock?: () => Date;
  newUID?: () => string;
}

export interface APIHandler {
  handler: Handler;
  /** Creates the namespaces default, kube-system and kube-public (idempotent). */
  bootstrap(): Promise<void>;
  /** Every served resource (review kinds only when their action is present). */
  resources: readonly ResourceDefinition[];
  registry: Registry;
  /** Pure discovery documents, for an aggregator that merges in its own groups. */
  discovery: {
    served: readonly ServedResource[];
    aggregated(core: boolean, apiVersion?: string): Record<string, unknown>;
    apiGroupList(): Record<string, unknown>;
    apiResourceList(group: string, version: string): Record<string, unknown>;
  };
  /** OpenAPI v3 documents by key (`api/v1`, `apis/G/V`). */
  openapi(): Map<string, OpenAPIDocument>;
}

const ANONYMOUS = { name: ANONYMOUS_USER, groups: [SYSTEM_GROUPS.unauthenticated], extra: {} };

export function createAPIHandler(options: APIHandlerOptions): APIHandler {
  const actions = options.actions ?? {};
  const all = [...(options.builtIns === false ? [] : builtInResources()), ...(options.extraResources ?? [])];
  const resources = all.filter((d) => !d.action || Object.hasOwn(actions, actionKey(d)));
  const index = new Map(resources.map((d) => [`${d.group}/${d.version}/${d.plural}`, d]));
  const schemas: Schemas = { ...META_SCHEMAS, ...REVIEW_SCHEMAS };
  for (const d of resources) Object.assign(schemas, d.schemas ?? {});

  const registry: Registry = {
    store: options.store,
    etcdPrefix: options.etcdPrefix ?? DEFAULT_ETCD_PREFIX,
    actions,
    admission: options.admission ?? {},
    schemas,
    clock: options.clock ?? (() => new Date()),
    newUID: options.newUID ?? randomUUID,
    lookup: (group, version, plural) => index.get(`${group}/${version}/${plural}`),
    resources: () => resources,
  };

  const served: ServedResource[] = resources.map((def) => ({ def, subresources: subresourcesOf(def, actions) }));
  const subresourceSchemas: Record<string, string> = { 'authentication.k8s.io/v1/TokenRequest': 'io.k8s.api.authentication.v1.TokenRequest' };
  let docs: Map<string, OpenAPIDocument> | undefined;
  const openapi = () => {
    docs ??= new Map(
      [...new Set(resources.map((d) => `${d.group}|${d.version}`))].map((gv) => {
        const [group, version] = gv.split('|');
        const key = documentKey(group, version);
        return [key, openAPIDocument(key, buildDocument(group, version, served, schemas, subresourceSchemas))];
      }),
    );
    return docs;
  };

  const handler: Handler = async (req, res) => {
    try {
      await serve(registry, served, openapi, req, res);
    } catch (err) {
      writeStatus(res, err);
    }
  };

  return {
    handler,
    bootstrap: () => bootstrapNamespaces(registry),
    resources,
    registry,
    discovery: {
      served,
      aggregated: (core, apiVersion = 'apidiscovery.k8s.io/v2') => aggregatedDiscovery(served, core, apiVersion),
      apiGroupList: () => apiGroupList(served),
      apiResourceList: (group, version) => apiResourceList(served, group, version),
    },
    openapi,
  };
}

function subresourcesOf(def: ResourceDefinition, actions: Record<string, Action>): ServedResource['subresources'] {
  const out: ServedResource['subresources'] = [];
  if (def.statusSubresource) out.push({ name: 'status', group: def.group, version: def.version, kind: def.kind, verbs: ['get', 'patch', 'update'] });
  if (def.group === '' && def.plural === 'namespaces') out.push({ name: 'finalize', group: '', version: def.version, kind: def.kind, verbs: ['update'] });
  for (const sub of def.actionSubresources ?? []) {
    if (Object.hasOwn(actions, actionKey(def, sub.name))) out.push({ name: sub.name, group: sub.group, version: sub.version, kind: sub.kind, verbs: ['create'] });
  }
  return out;
}

async function serve(registry: Registry, served: ServedResource[], openapi: () => Map<string, OpenAPIDocument>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = urlOf(req);
  const path = url.pathname;
  if (path.startsWith('/openapi/') && serveOpenAPI(req, res, url, openapi)) return;
  const info = requestInfoOf(req) ?? parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
  if (!info.isResourceRequest) {
    if ((path.startsWith('/api') || path.startsWith('/apis')) && serveDiscovery(req, res, path, served)) return;
    throw routeNotFound();
  }
  const def = registry.lookup(info.apiGroup, info.apiVersion, info.resource);
  if (!def) throw routeNotFound();
  const pathName = info.parts[1] ?? '';
  let namespace = info.namespace;
  if (!def.namespaced) {
    if (def.group === '' && def.plural === 'namespaces') namespace = '';
    else if (namespace) throw routeNotFound();
  } else if (!namespace && info.verb !== 'list' && info.verb !== 'watch') {
    // Only list and watch span namespaces; everything else needs /namespaces/{ns}/.
    throw routeNotFound();
  }
  const r: RestRequest = {
    req,
    res,
    registry,
    def,
    info,
    namespace,
    name: pathName,
    query: url.searchParams,
    user: userOf(req) ?? ANONYMOUS,
    signal: signalOf(req),
    warnings: [],
  };
  await routeResource(r);
  const mutating = ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(info.verb);
  if (mutating && def.afterWrite && !r.query.getAll('dryRun').includes('All')) await def.afterWrite({ store: registry.store, etcdPrefix: registry.etcdPrefix });
}

