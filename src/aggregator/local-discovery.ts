// The delegate's own discovery and OpenAPI, read in-process (upstream reads them from the
// delegation target): listed group/versions for autoregistration, its aggregated document,
// its /openapi/v2 and /openapi/v3 index. Each read is cached for a short time.
import { createHash } from 'node:crypto';
import type { Handler } from '../apiserver/request/context.ts';
import type { APIGroupDiscoveryList } from './discovery/aggregated-types.ts';
import { AGGREGATED_ACCEPT } from './discovery/aggregated-types.ts';
import { invokeHandler } from './in-process.ts';
import type { SwaggerSpec } from './openapi/merge-v2.ts';
import type { V3Index } from './openapi/controller.ts';

export const INTERNAL_USER = { name: 'system:apiserver', groups: ['system:masters'], extra: {} };

export interface LocalReads {
  listedPaths(): Promise<string[]>;
  discovery(): Promise<APIGroupDiscoveryList | undefined>;
  openapiV2(): Promise<{ spec: SwaggerSpec; etag: string } | undefined>;
  openapiV3Index(): Promise<V3Index | undefined>;
}

function cached<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | undefined;
  return () => {
    if (!value || Date.now() - at > ttlMs) {
      at = Date.now();
      value = load().catch((err: unknown) => {
        value = undefined;
        throw err;
      });
    }
    return value;
  };
}

async function getJSON<T>(local: Handler, path: string, accept: string): Promise<{ body: T; etag?: string; contentType?: string } | undefined> {
  const r = await invokeHandler(local, { path, headers: { accept }, user: INTERNAL_USER, timeoutMs: 10_000 });
  if (r.status !== 200) return undefined;
  try {
    return { body: JSON.parse(r.body.toString('utf8')) as T, etag: r.headers['etag'], contentType: r.headers['content-type'] };
  } catch {
    return undefined;
  }
}

export function createLocalReads(local: Handler, ttlMs = 1_000): LocalReads {
  return {
    async listedPaths() {
      const paths: string[] = [];
      const core = await getJSON<{ versions?: string[] }>(local, '/api', 'application/json');
      for (const v of core?.body.versions ?? []) paths.push(`/api/${v}`);
      const groups = await getJSON<{ groups?: Array<{ versions?: Array<{ groupVersion: string }> }> }>(local, '/apis', 'application/json');
      for (const g of groups?.body.groups ?? []) for (const v of g.versions ?? []) paths.push(`/apis/${v.groupVersion}`);
      return paths;
    },
    discovery: cached(ttlMs, async () => {
      const r = await getJSON<APIGroupDiscoveryList>(local, '/apis', `${AGGREGATED_ACCEPT},application/json`);
      return r?.body.kind === 'APIGroupDiscoveryList' ? r.body : undefined;
    }),
    openapiV2: cached(ttlMs, async () => {
      const r = await getJSON<SwaggerSpec>(local, '/openapi/v2', 'application/json');
      return r ? { spec: r.body, etag: r.etag ?? createHash('sha256').update(JSON.stringify(r.body)).digest('hex') } : undefined;
    }),
    openapiV3Index: cached(ttlMs, async () => (await getJSON<V3Index>(local, '/openapi/v3', 'application/json'))?.body),
  };
}
