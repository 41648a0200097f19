import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredObject } from '../../../storage/interface.ts';
import { aggregatedRules } from './aggregation.ts';

const role = (name: string, labels: Record<string, string>, rules: unknown[], aggregationRule?: unknown): StoredObject => ({ metadata: { name, labels }, rules, ...(aggregationRule ? { aggregationRule } : {}) });

test('aggregated rules are the union of matching roles, deduplicated, by name order', () => {
  const r1 = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const r2 = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  const agg = role('view', {}, [], { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-view': 'true' } }] });
  const all = [agg, role('b', { 'rbac.example.com/aggregate-to-view': 'true' }, [r2, r1]), role('a', { 'rbac.example.com/aggregate-to-view': 'true' }, [r1]), role('c', {}, [{ verbs: ['*'] }])];
  assert.deepEqual(aggregatedRules(agg, all), [r1, r2]);
  assert.equal(aggregatedRules(role('plain', {}, [r1]), all), undefined);
});
