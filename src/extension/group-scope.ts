// An adapter over the generic registry (createAPIHandler), which always serves the built-in
// kinds: an extension server exposes only its own groups. Resource requests of other groups,
// /api and discovery or OpenAPI documents of other groups are 404, as on an upstream
// aggregated server that installs no legacy group.
import type { IncomingMessage } from 'node:http';
import type { OpenAPIDocument } from '../apiserver/openapi/handler.ts';
import { serveOpenAPI } from '../apiserver/openapi/handler.ts';
import { serveDiscovery } from '../apiserver/discovery/handler.ts';
import { routeNotFound } from '../apiserver/registry/errors.ts';
import type { APIHandler } from '../apiserver/registry/mod.ts';
import { writeStatus } from '../apiserver/registry/responses.ts';
import { parseRequestInfo, type RequestInfo } from '../apiserver/request/request-info.ts';
import { requestInfoOf, urlOf, type Handler } from '../apiserver/request/context.ts';

export interface GroupScope {
  handler: Handler;
  /** The OpenAPI v3 documents of the scoped groups, by key (`apis/G/V`). */
  openapi(): Map<string, OpenAPIDocument>;
}

/** Runs around the registry for resource requests of the scoped groups (namespace sync, request version). */
export type AroundResource = (req: IncomingMessage, info: RequestInfo, next: () => Promise<void>) => Promise<void>;

export function scopeToGroups(api: Pick<APIHandler, 'handler' | 'discovery' | 'openapi'>, groups: readonly string[], around?: AroundResource): GroupScope {
  const own = new Set(groups);
  const served = api.discovery.served.filter((s) => own.has(s.def.group));
  let docs: Map<string, OpenAPIDocument> | undefined;
  const openapi = () => {
    docs ??= new Map([...api.openapi()].filter(([key]) => groups.some((g) => key.startsWith(`apis/${g}/`))));
    return docs;
  };
  const handler: Handler = async (req, res) => {
    try {
      const url = urlOf(req);
      const path = url.pathname;
      if (path.startsWith('/openapi/')) {
        if (!serveOpenAPI(req, res, url, openapi)) throw routeNotFound();
        return;
      }
      const info = requestInfoOf(req) ?? parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
      if (!info.isResourceRequest) {
        if (path.startsWith('/apis') && serveDiscovery(req, res, path, served)) return;
        throw routeNotFound();
      }
      if (!own.has(info.apiGroup) || info.apiPrefix !== 'apis') throw routeNotFound();
      const next = async () => void (await api.handler(req, res));
      if (around) await around(req, info, next);
      else await next();
    } catch (err) {
      writeStatus(res, err);
    }
  };
  return { handler, openapi };
}
