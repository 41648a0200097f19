import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../apiserver/authz/authorizer.ts';
import type { KubeResponse } from '../client/kube-client.ts';
import { createSubjectAccessReviewAuthorizer, decisionOf, reviewSpec } from './subject-access-review.ts';

const ALICE = { name: 'alice', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { 'authentication.kubernetes.io/pod-name': ['web-0'] } };

function attrs(over: Partial<Attributes> = {}): Attributes {
  return { user: ALICE, verb: 'list', isResourceRequest: true, path: '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders', namespace: 'default', apiGroup: 'wardle.example.com', apiVersion: 'v1alpha1', resource: 'flunders', subresource: '', name: '', ...over };
}

describe('reviewSpec', () => {
  it('builds resourceAttributes for resource requests (spec §6.5)', () => {
    assert.deepEqual(reviewSpec(attrs()), {
      user: 'alice', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { 'authentication.kubernetes.io/pod-name': ['web-0'] },
      resourceAttributes: { namespace: 'default', verb: 'list', group: 'wardle.example.com', version: 'v1alpha1', resource: 'flunders', subresource: '', name: '' },
    });
  });
  it('builds nonResourceAttributes otherwise', () => {
    const spec = reviewSpec(attrs({ isResourceRequest: false, path: '/openapi/v2', verb: 'get', user: { name: 'bob', groups: [], extra: {} } }));
    assert.deepEqual(spec, { user: 'bob', groups: [], nonResourceAttributes: { path: '/openapi/v2', verb: 'get' } });
  });
});

describe('decisionOf', () => {
  const table = [
    { name: 'allowed', status: { allowed: true }, want: 'allow' },
    { name: 'denied', status: { allowed: false, denied: true, reason: 'no' }, want: 'deny' },
    { name: 'both', status: { allowed: true, denied: true }, want: 'deny' },
    { name: 'neither', status: { allowed: false }, want: 'no-opinion' },
    { name: 'evaluation error', status: { allowed: false, evaluationError: 'boom' }, want: 'no-opinion' },
  ] as const;
  for (const c of table) it(c.name, () => assert.equal(decisionOf(c.status).decision, c.want));
});

describe('createSubjectAccessReviewAuthorizer', () => {
  function fake(statuses: Array<Record<string, unknown> | Error>) {
    const calls: unknown[] = [];
    return {
      calls,
      client: {
        async request(_m: string, _p: string, body?: unknown): Promise<KubeResponse> {
          calls.push(body);
          const s = statuses[Math.min(calls.length - 1, statuses.length - 1)];
          if (s instanceof Error) throw s;
          return { status: 201, body: JSON.stringify({ status: s }) };
        },
      },
    };
  }

  it('caches allowed and denied answers for their own TTLs (fake clock)', async () => {
    let now = 0;
    const core = fake([{ allowed: true }, { allowed: false }, { allowed: false }, { allowed: false }]);
    const authorize = createSubjectAccessReviewAuthorizer({ client: core.client, allowedTtlMs: 10_000, deniedTtlMs: 3_000, now: () => now });
    assert.equal((await authorize(attrs())).decision, 'allow');
    now = 9_999;
    assert.equal((await authorize(attrs())).decision, 'allow');
    assert.equal(core.calls.length, 1);
    now = 10_000;
    assert.equal((await authorize(attrs())).decision, 'no-opinion');
    assert.equal(core.calls.length, 2);
    now = 12_999;
    assert.equal((await authorize(attrs())).decision, 'no-opinion');
    assert.equal(core.calls.length, 2);
    now = 13_000;
    await authorize(attrs());
    assert.equal(core.calls.length, 3);
  });

  it('keys the cache by the whole spec', async () => {
    const core = fake([{ allowed: true }]);
    const authorize = createSubjectAccessReviewAuthorizer({ client: core.client, now: () => 0 });
    await authorize(attrs());
    await authorize(attrs({ verb: 'get', name: 'x' }));
    await authorize(attrs({ user: { ...ALICE, groups: ['dev'] } }));
    assert.equal(core.calls.length, 3);
  });

  it('has no opinion (so forbids) when the review fails, without caching', async () => {
    const core = fake([new Error('down'), new Error('down'), new Error('down'), new Error('down'), new Error('down'), { allowed: true }]);
    const authorize = createSubjectAccessReviewAuthorizer({ client: core.client, now: () => 0, retry: { sleep: async () => {}, random: () => 0 } });
    const d = await authorize(attrs());
    assert.equal(d.decision, 'no-opinion');
    assert.match(d.reason, /down/);
    assert.equal((await authorize(attrs())).decision, 'allow');
  });
});
