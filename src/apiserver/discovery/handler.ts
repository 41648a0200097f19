// Serves /api, /api/v1, /apis, /apis/G, /apis/G/V. The response Content-Type alone tells
// client-go which form it got (kubectl.md §2.1): the exact aggregated media type when the
// Accept header asks for it first, legacy JSON otherwise. Never 406.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DISCOVERY_GROUP, MEDIA, parseAccept } from '../../apimachinery/media-types.ts';
import { routeNotFound } from '../registry/errors.ts';
import { writeJSON } from '../registry/responses.ts';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, groupsOf, type ServedResource } from './documents.ts';

const AGGREGATED_VERSIONS = ['v2', 'v2beta1'];

/** The aggregated discovery version the client asked for before plain JSON, if any. */
export function wantsAggregated(accept: string | undefined): string | undefined {
  for (const r of parseAccept(accept)) {
    if (r.type !== MEDIA.json && r.type !== '*/*' && r.type !== 'application/*') continue;
    if (!r.params.as) return undefined;
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === DISCOVERY_GROUP && AGGREGATED_VERSIONS.includes(r.params.v ?? '')) return r.params.v;
  }
  return undefined;
}

function writeAggregated(req: IncomingMessage, res: ServerResponse, body: unknown, version: string): void {
  const data = JSON.stringify(body);
  const etag = `"${createHash('sha512').update(data).digest('hex').toUpperCase()}"`;
  const headers = { 'Content-Type': `${MEDIA.json};g=${DISCOVERY_GROUP};v=${version};as=APIGroupDiscoveryList`, ETag: etag, Vary: 'Accept', 'Cache-Control': 'public' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}

/** Returns false when the path is not a discovery path. */
export function serveDiscovery(req: IncomingMessage, res: ServerResponse, path: string, served: ServedResource[]): boolean {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  const host = req.headers.host ?? '127.0.0.1';
  if (parts[0] === 'api' && parts.length === 1) {
    const v = wantsAggregated(req.headers.accept);
    if (v) writeAggregated(req, res, aggregatedDiscovery(served, true, `${DISCOVERY_GROUP}/${v}`), v);
    else writeJSON(res, 200, apiVersions(served, host));
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 1) {
    const v = wantsAggregated(req.headers.accept);
    if (v) writeAggregated(req, res, aggregatedDiscovery(served, false, `${DISCOVERY_GROUP}/${v}`), v);
    else writeJSON(res, 200, apiGroupList(served));
    return true;
  }
  const groups = groupsOf(served);
  if (parts[0] === 'api' && parts.length === 2) {
    const core = groups.find((g) => g.group === '');
    if (!core?.versions.includes(parts[1])) throw routeNotFound();
    writeJSON(res, 200, apiResourceList(served, '', parts[1]));
    return true;
  }
  if (parts[0] === 'apis' && (parts.length === 2 || parts.length === 3)) {
    const g = groups.find((x) => x.group === parts[1] && x.group !== '');
    if (!g) throw routeNotFound();
    if (parts.length === 2) writeJSON(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) });
    else if (g.versions.includes(parts[2])) writeJSON(res, 200, apiResourceList(served, g.group, parts[2]));
    else throw routeNotFound();
    return true;
  }
  return false;
}
