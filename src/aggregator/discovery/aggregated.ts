// Merging the aggregated discovery document (apiserver pkg/endpoints/discovery/aggregated
// + kube-aggregator handler_discovery.go, spec 3.5): local groups, then every remote
// APIService's own group/version; ordered by group priority then name, versions by
// versionPriority then kube-aware order; ETag = quoted upper-case SHA-512 hex.
import { createHash } from 'node:crypto';
import { APIREGISTRATION_GROUP, type APIService } from '../apis/types.ts';
import type { APIGroupDiscovery, APIGroupDiscoveryList, APIResourceDiscovery, APIResourceList, APIVersionDiscovery, Freshness } from './aggregated-types.ts';
import { DISCOVERY_API_VERSIONS } from './aggregated-types.ts';
import { byKubeAwareVersion } from './version-order.ts';

export const DEFAULT_GROUP_PRIORITY = 1000;
export const DEFAULT_VERSION_PRIORITY = 15;
export const APIREGISTRATION_PRIORITY = 20001;

export interface RemoteVersion {
  group: string;
  version: string;
  resources: APIResourceDiscovery[];
  freshness: Freshness;
}

interface Entry {
  group: string;
  version: APIVersionDiscovery;
  groupPriority: number;
  versionPriority: number;
}

export function mergeAggregatedDiscovery(local: APIGroupDiscoveryList | undefined, remote: readonly RemoteVersion[], services: readonly APIService[]): APIGroupDiscoveryList {
  const prio = new Map<string, { group: number; version: number }>();
  for (const s of services) prio.set(`${s.spec.group ?? ''}/${s.spec.version}`, { group: s.spec.groupPriorityMinimum, version: s.spec.versionPriority });
  const entries = new Map<string, Entry>();
  const put = (group: string, version: APIVersionDiscovery) => {
    const p = prio.get(`${group}/${version.version}`);
    const groupPriority = group === APIREGISTRATION_GROUP ? APIREGISTRATION_PRIORITY : p?.group ?? DEFAULT_GROUP_PRIORITY;
    entries.set(`${group}/${version.version}`, { group, version, groupPriority, versionPriority: p?.version ?? DEFAULT_VERSION_PRIORITY });
  };
  for (const g of local?.items ?? []) for (const v of g.versions) put(g.metadata.name, { ...v, freshness: v.freshness ?? 'Current' });
  // A remote APIService beats a built-in of the same group/version.
  for (const r of remote) {
    const resources = r.resources.map((res) => ({ ...res, responseKind: res.responseKind ?? {}, subresources: res.subresources?.map((s) => ({ ...s, responseKind: s.responseKind ?? {} })) }));
    put(r.group, { version: r.version, resources, freshness: r.freshness });
  }
  const groups = new Map<string, Entry[]>();
  for (const e of entries.values()) {
    let list = groups.get(e.group);
    if (!list) groups.set(e.group, (list = []));
    list.push(e);
  }
  const ordered = [...groups.entries()]
    .map(([name, list]) => ({ name, list, priority: Math.max(...list.map((e) => e.groupPriority)) }))
    .sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const items: APIGroupDiscovery[] = ordered.map(({ name, list }) => ({
    metadata: { name, creationTimestamp: null },
    versions: list.sort((a, b) => b.versionPriority - a.versionPriority || byKubeAwareVersion(a.version.version, b.version.version)).map((e) => e.version),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: DISCOVERY_API_VERSIONS.v2, metadata: {}, items };
}

/** `"<UPPER HEX SHA-512>"` of the JSON document. */
export function discoveryETag(json: string): string {
  return `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`;
}

/** Legacy APIResourceList ⇒ aggregated resources (subresources folded under their parent). */
export function convertResourceList(list: APIResourceList, group: string, version: string): APIResourceDiscovery[] {
  const top = new Map<string, APIResourceDiscovery>();
  for (const r of list.resources ?? []) {
    if (r.name.includes('/')) continue;
    top.set(r.name, {
      resource: r.name,
      responseKind: { group: r.group ?? group, version: r.version ?? version, kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName ?? '',
      verbs: r.verbs ?? [],
      ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
    });
  }
  for (const r of list.resources ?? []) {
    const [parent, sub] = r.name.split('/', 2);
    if (sub === undefined) continue;
    const p = top.get(parent);
    if (!p) continue;
    (p.subresources ??= []).push({ subresource: sub, responseKind: { group: r.group ?? group, version: r.version ?? version, kind: r.kind }, verbs: r.verbs ?? [] });
  }
  return [...top.values()];
}
