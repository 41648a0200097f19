// GET /apis, /apis/ and /apis/<group>[/] (kube-aggregator handler_apis.go and
// handler_discovery.go). Thin: read the APIServices, call the pure builders, write.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../../apiserver/request/context.ts';
import type { APIService } from '../apis/types.ts';
import { type APIGroupDiscoveryList, DISCOVERY_API_VERSIONS } from './aggregated-types.ts';
import { discoveryETag, mergeAggregatedDiscovery, type RemoteVersion } from './aggregated.ts';
import { apiGroupList, apiGroupOf } from './group-list.ts';
import { negotiateDiscovery } from './negotiate.ts';

export interface DiscoveryHandlerOptions {
  services: () => APIService[];
  remote: () => RemoteVersion[];
  /** The delegate's own aggregated document (undefined if it has none). */
  localDiscovery: () => Promise<APIGroupDiscoveryList | undefined>;
  local: Handler;
  /** Changes whenever the APIServices or the fetched remote documents change (cache key). */
  inputsVersion?: () => string;
}

function writeJSON(res: ServerResponse, body: string | Buffer, contentType = 'application/json', extra: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

export interface DiscoveryHandlers {
  /** `/apis` (aggregated negotiation) and `/apis/` (legacy only). */
  apis(req: IncomingMessage, res: ServerResponse, allowAggregated: boolean): Promise<void>;
  /** `/apis/<group>` and `/apis/<group>/`; delegates when no APIService has the group. */
  group(req: IncomingMessage, res: ServerResponse, group: string): Promise<void>;
  /** The merged aggregated document (v2). */
  aggregated(): Promise<APIGroupDiscoveryList>;
}

interface Rendered {
  local: APIGroupDiscoveryList | undefined;
  version: string;
  doc: APIGroupDiscoveryList;
  /** The v2 body, encoded once per change (the documents reach 100 KB with 500 APIServices). */
  v2: Buffer;
  /** The v2beta1 body, encoded on first request. */
  v2beta1?: Buffer;
  etag: string;
}

export function createDiscoveryHandlers(opts: DiscoveryHandlerOptions): DiscoveryHandlers {
  let last: Rendered | undefined;
  let legacy: { version: string; body: Buffer } | undefined;
  /** The legacy APIGroupList, encoded once per change of the APIServices. */
  function legacyBody(): Buffer {
    const version = opts.inputsVersion?.();
    if (version !== undefined && legacy?.version === version) return legacy.body;
    const body = Buffer.from(JSON.stringify(apiGroupList(opts.services())));
    if (version !== undefined) legacy = { version, body };
    return body;
  }
  async function render(): Promise<Rendered> {
    const local = await opts.localDiscovery();
    const version = opts.inputsVersion?.() ?? '';
    if (last && opts.inputsVersion && last.local === local && last.version === version) return last;
    const doc = mergeAggregatedDiscovery(local, opts.remote(), opts.services());
    const json = JSON.stringify(doc);
    last = { local, version, doc, v2: Buffer.from(json), etag: discoveryETag(json) };
    return last;
  }
  async function aggregated(): Promise<APIGroupDiscoveryList> {
    return (await render()).doc;
  }
  return {
    aggregated,
    async apis(req, res, allowAggregated) {
      const form = negotiateDiscovery(req.headers.accept, allowAggregated);
      if (form.form === 'legacy') return writeJSON(res, legacyBody());
      const rendered = await render();
      const { doc, etag } = rendered;
      const body = form.version === 'v2' ? rendered.v2 : (rendered.v2beta1 ??= Buffer.from(JSON.stringify({ ...doc, apiVersion: DISCOVERY_API_VERSIONS.v2beta1 })));
      const headers = { etag, vary: 'Accept', 'cache-control': 'public' };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      writeJSON(res, body, `application/json;g=apidiscovery.k8s.io;v=${form.version};as=APIGroupDiscoveryList`, headers);
    },
    async group(req, res, group) {
      const g = apiGroupOf(opts.services(), group);
      if (!g) return opts.local(req, res);
      writeJSON(res, JSON.stringify(g));
    },
  };
}
