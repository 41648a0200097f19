import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregatedRules } from './aggregation-controller.ts';
import type { RoleObject } from './rbac-types.ts';

const role = (name: string, labels: Record<string, string>, rules: RoleObject['rules'], select?: Record<string, string>): RoleObject => ({
  kind: 'ClusterRole',
  metadata: { name, labels },
  rules,
  ...(select ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: select }] } } : {}),
});

test('aggregatedRules: rules of the selected roles in name order, duplicates once, never its own', () => {
  const r1 = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const r2 = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  const monitor = role('monitor', {}, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], { agg: 'yes' });
  const all = [monitor, role('b', { agg: 'yes' }, [r2, r1]), role('a', { agg: 'yes' }, [r1]), role('c', { agg: 'no' }, [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }])];
  assert.deepEqual(aggregatedRules(monitor, all), [r1, r2]);
  assert.deepEqual(aggregatedRules(role('none', {}, [], { agg: 'maybe' }), all), []);
});
