// RequestInfo: what a request is about, parsed from its path and method
// (k8s.io/apiserver pkg/endpoints/request/requestinfo.go).

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The URL path, for non-resource requests and logging. */
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection, proxy; or the lower-cased HTTP method for non-resource requests. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_PREFIXES = new Set(['api']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const SPECIAL_VERBS = new Set(['proxy', 'watch']);

/**
 * Parses a request the way upstream's RequestInfoFactory does:
 *   /api/{version}/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/{resource}/{name}
 * `query` is the parsed query string (for watch=true and fieldSelector=metadata.name).
 */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let parts = splitPath(path);
  if (parts.length < 1 || !API_PREFIXES.has(parts[0])) return info;
  info.apiPrefix = parts[0];
  parts = parts.slice(1);
  if (!GROUPLESS_PREFIXES.has(info.apiPrefix)) {
    if (parts.length < 1) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  if (parts.length < 1) return info;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  if (parts.length < 1) return info;

  info.isResourceRequest = true;
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return { ...info, isResourceRequest: false };
    info.verb = parts[0];
    parts = parts.slice(1);
  } else {
    info.verb = { post: 'create', get: 'get', head: 'get', put: 'update', patch: 'patch', delete: 'delete' }[info.verb] ?? info.verb;
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      // /namespaces/{ns} and /namespaces/{ns}/{status|finalize} address the namespace itself.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  } else {
    info.namespace = '';
  }

  info.parts = parts;
  if (parts.length >= 3) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];

  if (parts.length < 2 && info.verb === 'get') {
    const watch = query.get('watch');
    info.verb = watch === 'true' || watch === '1' ? 'watch' : 'list';
  }
  if (info.verb === 'watch' && info.name === '') {
    // A single-object watch by field selector keeps its name for authorization.
    const name = fieldSelectorName(query.get('fieldSelector'));
    if (name) info.name = name;
  }
  if (info.verb === 'list' || info.verb === 'watch') {
    const name = fieldSelectorName(query.get('fieldSelector'));
    if (name && info.name === '') info.name = name;
  }
  if (parts.length < 2 && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}

function fieldSelectorName(selector: string | null): string {
  if (!selector) return '';
  const parts = selector.split(',');
  if (parts.length !== 1) return '';
  const m = /^metadata\.name(==?)(.*)$/.exec(parts[0]);
  return m ? m[2] : '';
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}
