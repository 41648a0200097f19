// Discovery documents built from the served resources (kubectl.md §2): aggregated v2
// (APIGroupDiscoveryList) and the legacy APIVersions / APIGroupList / APIGroup /
// APIResourceList. Pure functions; the aggregator merges its own groups the same way.
import { createHash } from 'node:crypto';
import { groupVersion, verbsOf, type ResourceDefinition } from '../registry/resource.ts';

/** A resource as discovery shows it, with the subresources actually served. */
export interface ServedResource {
  def: ResourceDefinition;
  subresources: Array<{ name: string; group: string; version: string; kind: string; verbs: string[] }>;
}

/** Group order: core first, then upstream's well-known order, then the rest alphabetically. */
const GROUP_PRIORITY = ['', 'apiregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'rbac.authorization.k8s.io'];

export interface GroupVersions {
  group: string;
  /** Preferred first. */
  versions: string[];
}

export function groupsOf(served: ServedResource[]): GroupVersions[] {
  const map = new Map<string, string[]>();
  for (const { def } of served) {
    const vs = map.get(def.group) ?? [];
    if (!vs.includes(def.version)) vs.push(def.version);
    map.set(def.group, vs);
  }
  const rank = (g: string) => {
    const i = GROUP_PRIORITY.indexOf(g);
    return i < 0 ? GROUP_PRIORITY.length : i;
  };
  return [...map].map(([group, versions]) => ({ group, versions })).sort((a, b) => rank(a.group) - rank(b.group) || a.group.localeCompare(b.group));
}

function resourcesIn(served: ServedResource[], group: string, version: string): ServedResource[] {
  return served.filter((s) => s.def.group === group && s.def.version === version).sort((a, b) => a.def.plural.localeCompare(b.def.plural));
}

/** upstream: base64 of the first 8 bytes of sha256("<group>/<version>/<kind>"). */
export function storageVersionHash(def: ResourceDefinition): string {
  return createHash('sha256').update(`${def.group}/${def.version}/${def.kind}`).digest().subarray(0, 8).toString('base64');
}

function discoveryResource(s: ServedResource): Record<string, unknown> {
  const { def } = s;
  const out: Record<string, unknown> = {
    resource: def.plural,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: [...verbsOf(def)].sort(),
  };
  if (def.shortNames?.length) out.shortNames = def.shortNames;
  if (def.categories?.length) out.categories = def.categories;
  if (s.subresources.length > 0) {
    out.subresources = s.subresources.map((sub) => ({ subresource: sub.name, responseKind: { group: sub.group, version: sub.version, kind: sub.kind }, verbs: sub.verbs }));
  }
  return out;
}

function groupDiscovery(served: ServedResource[], g: GroupVersions): Record<string, unknown> {
  return {
    metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
    versions: g.versions.map((v) => ({ version: v, resources: resourcesIn(served, g.group, v).map(discoveryResource), freshness: 'Current' })),
  };
}

export function aggregatedDiscovery(served: ServedResource[], core: boolean, apiVersion: string): Record<string, unknown> {
  const groups = groupsOf(served).filter((g) => (core ? g.group === '' : g.group !== ''));
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items: groups.map((g) => groupDiscovery(served, g)) };
}

export function apiVersions(served: ServedResource[], serverAddress: string): Record<string, unknown> {
  const core = groupsOf(served).find((g) => g.group === '');
  return { kind: 'APIVersions', versions: core?.versions ?? [], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroup(g: GroupVersions): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(served: ServedResource[]): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(served).filter((g) => g.group !== '').map(apiGroup) };
}

export function apiResourceList(served: ServedResource[], group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const s of resourcesIn(served, group, version)) {
    const { def } = s;
    const r: Record<string, unknown> = { name: def.plural, singularName: def.singular, namespaced: def.namespaced, kind: def.kind, verbs: [...verbsOf(def)].sort() };
    if (def.shortNames?.length) r.shortNames = def.shortNames;
    if (def.categories?.length) r.categories = def.categories;
    if (!def.action) r.storageVersionHash = storageVersionHash(def);
    resources.push(r);
    for (const sub of s.subresources) {
      const e: Record<string, unknown> = { name: `${def.plural}/${sub.name}`, singularName: '', namespaced: def.namespaced, kind: sub.kind, verbs: sub.verbs };
      if (sub.group !== def.group || sub.version !== def.version) {
        e.group = sub.group;
        e.version = sub.version;
      }
      resources.push(e);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}
