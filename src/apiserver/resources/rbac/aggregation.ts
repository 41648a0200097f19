// ClusterRole aggregation (the clusterrole-aggregation controller, computed on write): an
// aggregated ClusterRole's rules are the union of the rules of every ClusterRole matched by
// its aggregationRule's selectors. Idempotent; safe to call after any ClusterRole change.
import { isDeepStrictEqual } from 'node:util';
import { matchesRequirements, requirementsFromObject, type LabelSelectorObject } from '../../../apimachinery/label-selector.ts';
import type { Store, StoredObject } from '../../../storage/interface.ts';
import { objectKey, resourcePrefix } from '../../registry/keys.ts';

const REF = { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' };
const MAX_ROUNDS = 5;

function selectorsOf(role: StoredObject): LabelSelectorObject[] | undefined {
  const rule = role.aggregationRule as { clusterRoleSelectors?: LabelSelectorObject[] } | undefined;
  return rule?.clusterRoleSelectors;
}

/** The aggregated rules of `role` given every ClusterRole, or undefined when it does not aggregate. */
export function aggregatedRules(role: StoredObject, all: StoredObject[]): unknown[] | undefined {
  const selectors = selectorsOf(role);
  if (!selectors) return undefined;
  const reqs = selectors.map(requirementsFromObject);
  const out: unknown[] = [];
  const sorted = [...all].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const other of sorted) {
    if (other.metadata.name === role.metadata.name) continue;
    const labels = other.metadata.labels as Record<string, string> | undefined;
    if (!reqs.some((r) => matchesRequirements(r, labels))) continue;
    for (const rule of (other.rules ?? []) as unknown[]) if (!out.some((x) => isDeepStrictEqual(x, rule))) out.push(rule);
  }
  return out;
}

/** Recomputes every aggregated ClusterRole; repeats so aggregated roles can feed others. */
export async function reconcileClusterRoleAggregation(store: Store, etcdPrefix: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { items } = await store.list(resourcePrefix(etcdPrefix, REF));
    let changed = false;
    for (const role of items) {
      const rules = aggregatedRules(role, items);
      if (rules === undefined || isDeepStrictEqual(rules, role.rules ?? [])) continue;
      await store.guaranteedUpdate(objectKey(etcdPrefix, REF, '', role.metadata.name ?? ''), (cur) => {
        if (!cur) return undefined;
        const fresh = aggregatedRules(cur, items) ?? [];
        return isDeepStrictEqual(fresh, cur.rules ?? []) ? undefined : { ...cur, rules: fresh };
      });
      changed = true;
    }
    if (!changed) return;
  }
}
