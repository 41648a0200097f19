// The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation): a
// ClusterRole with an aggregationRule gets, as its `rules`, the rules of every ClusterRole
// its selectors match, written back to the store only when they changed. Authorization does
// not wait for it (rbac.ts resolves aggregation itself); this makes `kubectl get
// clusterrole admin -o yaml` show the rules as upstream does.
import { createWorkQueue } from '../../controller/work-queue.ts';
import type { Store } from '../../storage/interface.ts';
import { objectKey } from '../registry/keys.ts';
import type { InformerPolicySource } from './rbac-source.ts';
import { selectorMatches } from './rbac-rules.ts';
import { RBAC_GROUP, type PolicyRule, type RoleObject } from './rbac-types.ts';

/** The rules an aggregating role should hold: the selected roles' rules, duplicates dropped. Pure. */
export function aggregatedRules(role: RoleObject, all: readonly RoleObject[]): PolicyRule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const seen = new Set<string>();
  const out: PolicyRule[] = [];
  const others = [...all].filter((o) => o.metadata.name !== role.metadata.name).sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
  for (const other of others) {
    const labels = (other.metadata.labels ?? {}) as Record<string, string>;
    if (!selectors.some((s) => selectorMatches(s, labels))) continue;
    for (const r of other.rules ?? []) {
      const key = JSON.stringify(r);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

export interface AggregationControllerOptions {
  store: Store;
  etcdPrefix: string;
  source: InformerPolicySource;
  log?: (line: string) => void;
}

export function startAggregationController(o: AggregationControllerOptions, signal: AbortSignal): void {
  const queue = createWorkQueue({ baseDelayMs: 50, maxDelayMs: 30_000 });
  const log = o.log ?? (() => {});
  const enqueueAggregators = () => {
    for (const r of o.source.clusterRoles()) if (r.aggregationRule?.clusterRoleSelectors?.length) queue.add(String(r.metadata.name));
  };
  o.source.onClusterRoles({ onAdd: enqueueAggregators, onUpdate: enqueueAggregators, onDelete: enqueueAggregators });
  signal.addEventListener('abort', () => queue.shutDown(), { once: true });

  async function sync(name: string): Promise<void> {
    const role = o.source.getClusterRole(name);
    if (!role?.aggregationRule?.clusterRoleSelectors?.length) return;
    const rules = aggregatedRules(role, o.source.clusterRoles());
    if (JSON.stringify(role.rules ?? []) === JSON.stringify(rules)) return;
    const key = objectKey(o.etcdPrefix, { group: RBAC_GROUP, resource: 'clusterroles' }, '', name);
    await o.store.guaranteedUpdate(key, (current) => {
      if (!current || JSON.stringify(current.rules ?? []) === JSON.stringify(rules)) return undefined;
      return { ...current, rules };
    });
  }

  void (async () => {
    for (;;) {
      const name = await queue.get();
      if (name === undefined) return;
      try {
        await sync(name);
        queue.forget(name);
      } catch (err) {
        if (signal.aborted) return;
        log(`kagg: aggregating clusterrole ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        queue.addRateLimited(name);
      } finally {
        queue.done(name);
      }
    }
  })();
}
