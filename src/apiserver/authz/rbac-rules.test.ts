import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atomicRules, nonResourceURLMatches, resourceMatches, ruleCovers, selectorMatches } from './rbac-rules.ts';

test('resourceMatches', () => {
  const cases: [string[], string, string, boolean][] = [
    [['*'], 'pods', 'log', true],
    [['pods'], 'pods', '', true],
    [['pods'], 'pods', 'log', false],
    [['pods/log'], 'pods', 'log', true],
    [['*/log'], 'pods', 'log', true],
    [['*/log'], 'pods', '', false],
    [['*/status'], 'pods', 'log', false],
  ];
  for (const [resources, r, sub, want] of cases) assert.equal(resourceMatches({ verbs: ['get'], resources }, r, sub), want, `${resources} ${r}/${sub}`);
});

test('nonResourceURLMatches: exact, * and trailing-* prefixes', () => {
  const rule = (u: string) => ({ verbs: ['get'], nonResourceURLs: [u] });
  assert.equal(nonResourceURLMatches(rule('/healthz'), '/healthz'), true);
  assert.equal(nonResourceURLMatches(rule('/healthz'), '/healthz/etcd'), false);
  assert.equal(nonResourceURLMatches(rule('/healthz/*'), '/healthz/etcd'), true);
  assert.equal(nonResourceURLMatches(rule('/apis*'), '/apis/apps'), true);
  assert.equal(nonResourceURLMatches(rule('*'), '/anything'), true);
});

test('selectorMatches', () => {
  const labels = { a: '1', b: '2' };
  assert.equal(selectorMatches({}, labels), true);
  assert.equal(selectorMatches({ matchLabels: { a: '1' } }, labels), true);
  assert.equal(selectorMatches({ matchLabels: { a: '2' } }, labels), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '3'] }] }, labels), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'Exists' }] }, labels), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, labels), true);
});

test('ruleCovers: owner wildcards cover, servant wildcards need owner wildcards', () => {
  const owner = { verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps', 'pods/*'] };
  const cases: [Parameters<typeof atomicRules>[0], boolean][] = [
    [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }, true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['x'] }, true],
    [{ verbs: ['delete'], apiGroups: [''], resources: ['configmaps'] }, false],
    [{ verbs: ['*'], apiGroups: [''], resources: ['configmaps'] }, false],
    [{ verbs: ['get'], apiGroups: ['*'], resources: ['configmaps'] }, false],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }, false],
  ];
  for (const [servant, want] of cases) {
    assert.equal(atomicRules(servant).every((a) => ruleCovers(owner, a)), want, JSON.stringify(servant));
  }
  assert.equal(ruleCovers({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }), false);
  assert.equal(ruleCovers({ verbs: ['*'], nonResourceURLs: ['/healthz/*'] }, { verbs: ['get'], nonResourceURLs: ['/healthz/etcd'] }), true);
});
