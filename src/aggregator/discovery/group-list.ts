// The legacy APIGroupList / APIGroup built from APIServices (kube-aggregator
// pkg/apiserver/handler_apis.go + helpers.go SortedByGroupAndVersion, spec 3.1 and 3.3).
import { APIREGISTRATION_GROUP, type APIService } from '../apis/types.ts';
import { byKubeAwareVersion } from './version-order.ts';

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

const nameOf = (s: APIService) => s.metadata.name ?? '';

/**
 * SortedByGroupAndVersion: groups ordered by their first APIService in a walk sorted by
 * groupPriorityMinimum descending then APIService name (byte order); inside a group
 * versionPriority descending, then kube-aware version order.
 */
export function sortedByGroupAndVersion(services: readonly APIService[]): APIService[][] {
  const walk = [...services].sort((a, b) => {
    const d = b.spec.groupPriorityMinimum - a.spec.groupPriorityMinimum;
    if (d !== 0) return d;
    return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
  });
  const groups = new Map<string, APIService[]>();
  for (const s of walk) {
    const g = s.spec.group ?? '';
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(s);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => b.spec.versionPriority - a.spec.versionPriority || byKubeAwareVersion(a.spec.version ?? '', b.spec.version ?? ''));
  }
  return [...groups.values()];
}

/** One APIGroup entry from the (already ordered) APIServices of one group. */
export function apiGroupFor(services: readonly APIService[]): APIGroup {
  const name = services[0].spec.group ?? '';
  const versions = services.map((s) => ({ groupVersion: `${name}/${s.spec.version}`, version: s.spec.version ?? '' }));
  return { name, versions, preferredVersion: versions[0] };
}

const APIREGISTRATION_ENTRY: APIGroup = {
  name: APIREGISTRATION_GROUP,
  versions: [{ groupVersion: `${APIREGISTRATION_GROUP}/v1`, version: 'v1' }],
  preferredVersion: { groupVersion: `${APIREGISTRATION_GROUP}/v1`, version: 'v1' },
};

/** GET /apis: apiregistration.k8s.io first, then every APIService's group (empty group skipped). */
export function apiGroupList(services: readonly APIService[]): APIGroupList {
  const groups: APIGroup[] = [structuredClone(APIREGISTRATION_ENTRY)];
  for (const list of sortedByGroupAndVersion(services)) {
    if ((list[0].spec.group ?? '') === '') continue;
    groups.push(apiGroupFor(list));
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /apis/<group>: undefined when no APIService has that group (delegate). */
export function apiGroupOf(services: readonly APIService[], group: string): APIGroup | undefined {
  const mine = services.filter((s) => (s.spec.group ?? '') === group);
  if (mine.length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupFor(sortedByGroupAndVersion(mine)[0]) };
}
