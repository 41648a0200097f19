// Serves /openapi/v3 (the root listing one document per group-version) and
// /openapi/v3/<gv>?hash=H with kube-openapi's caching: a stale hash is a 301 to the
// current URL, a matching one is immutable for a year (kubectl.md §6.2). /openapi/v2 is
// served as JSON only; its protobuf form (all kubectl asks for) is a 404, which kubectl
// 1.32 skips because v3 is complete (§6.4).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MEDIA, parseAccept } from '../../apimachinery/media-types.ts';
import { swaggerFromV3 } from './v2.ts';
import { routeNotFound } from '../registry/errors.ts';
import { writeJSON } from '../registry/responses.ts';

export interface OpenAPIDocument {
  key: string;
  body: string;
  hash: string;
}

export function openAPIDocument(key: string, doc: unknown): OpenAPIDocument {
  const body = JSON.stringify(doc);
  return { key, body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

/** The v2 document, derived once per set of v3 documents. */
const v2Cache = new WeakMap<Map<string, OpenAPIDocument>, string>();

/** Returns false when the path is not an OpenAPI path. */
export function serveOpenAPI(req: IncomingMessage, res: ServerResponse, url: URL, documents: () => Map<string, OpenAPIDocument>): boolean {
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/openapi/v2') {
    const accept = parseAccept(req.headers.accept);
    const json = accept.length === 0 || accept.some((r) => (r.type === MEDIA.json || r.type === '*/*' || r.type === 'application/*') && !r.params.as);
    if (!json) throw routeNotFound();
    const docs = documents();
    let body = v2Cache.get(docs);
    if (body === undefined) {
      body = JSON.stringify(swaggerFromV3([...docs.values()].map((d) => JSON.parse(d.body) as Record<string, unknown>)));
      v2Cache.set(docs, body);
    }
    res.writeHead(200, { 'Content-Type': MEDIA.json, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return true;
  }
  if (path === '/openapi/v3') {
    const paths: Record<string, unknown> = {};
    for (const d of documents().values()) paths[d.key] = { serverRelativeURL: `/openapi/v3/${d.key}?hash=${d.hash}` };
    writeJSON(res, 200, { paths }, { 'Cache-Control': 'no-cache, private' });
    return true;
  }
  if (!path.startsWith('/openapi/v3/')) return false;
  const doc = documents().get(path.slice('/openapi/v3/'.length));
  if (!doc) throw routeNotFound();
  const hash = url.searchParams.get('hash');
  const etag = `"${doc.hash}"`;
  if (hash && hash !== doc.hash) {
    res.writeHead(301, { Location: `/openapi/v3/${doc.key}?hash=${doc.hash}`, 'Content-Length': 0 });
    res.end();
    return true;
  }
  const headers: Record<string, string> = { 'Content-Type': MEDIA.json, ETag: etag, Vary: 'Accept' };
  if (hash) {
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
  } else {
    headers['Cache-Control'] = 'no-cache, private';
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(doc.body) });
  res.end(doc.body);
  return true;
}
