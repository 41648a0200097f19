import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeResponse } from '../client/kube-client.ts';
import { createTokenReviewAuthenticator, TOKEN_REVIEW_PATH } from './token-review.ts';

function fakeCore(answer: (token: string) => Record<string, unknown> | Error) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  return {
    calls,
    client: {
      async request(method: string, path: string, body?: unknown): Promise<KubeResponse> {
        calls.push({ method, path, body });
        const token = ((body as { spec: { token: string } }).spec).token;
        const a = answer(token);
        if (a instanceof Error) throw a;
        return { status: 201, body: JSON.stringify({ kind: 'TokenReview', status: a }) };
      },
    },
  };
}

const NO_WAIT = { sleep: async () => {}, random: () => 0 };

describe('createTokenReviewAuthenticator', () => {
  it('posts a TokenReview and maps the user', async () => {
    const core = fakeCore(() => ({ authenticated: true, user: { username: 'jane', uid: 'u1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a'] } }, audiences: ['api'] }));
    const auth = createTokenReviewAuthenticator({ client: core.client, audiences: ['api'] });
    const r = await auth('tok');
    assert.deepEqual(r, { user: { name: 'jane', uid: 'u1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a'] } }, audiences: ['api'] });
    assert.equal(core.calls[0].path, TOKEN_REVIEW_PATH);
    assert.deepEqual(core.calls[0].body, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'tok', audiences: ['api'] } });
  });

  const cases = [
    { name: 'accepted token', status: { authenticated: true, user: { username: 'a' } }, want: 'user' },
    { name: 'rejected token without error', status: { authenticated: false }, want: 'null' },
    { name: 'rejected token with error', status: { authenticated: false, error: 'token expired' }, want: 'error' },
  ] as const;
  for (const c of cases) {
    it(`caches a ${c.name} for the TTL (fake clock)`, async () => {
      let now = 0;
      const core = fakeCore(() => c.status);
      const auth = createTokenReviewAuthenticator({ client: core.client, ttlMs: 10_000, now: () => now, retry: NO_WAIT });
      const first = await auth('t');
      if (c.want === 'user') assert.equal((first as { user: { name: string } }).user.name, 'a');
      if (c.want === 'null') assert.equal(first, null);
      if (c.want === 'error') assert.equal((first as Error).message, 'token expired');
      now = 9_999;
      await auth('t');
      assert.equal(core.calls.length, 1, 'served from the cache within the TTL');
      now = 10_000;
      await auth('t');
      assert.equal(core.calls.length, 2, 'asked again once the TTL passed');
    });
  }

  it('does not cache transport failures and retries them with backoff', async () => {
    let fail = 3;
    const core = fakeCore(() => (fail-- > 0 ? new Error('connection refused') : { authenticated: true, user: { username: 'a' } }));
    const waits: number[] = [];
    const auth = createTokenReviewAuthenticator({ client: core.client, retry: { sleep: async (ms) => void waits.push(ms), random: () => 0 } });
    const r = await auth('t');
    assert.equal((r as { user: { name: string } }).user.name, 'a');
    assert.deepEqual(waits, [500, 750, 1125]);
    const down = createTokenReviewAuthenticator({ client: fakeCore(() => new Error('connection refused')).client, retry: NO_WAIT });
    assert.match(String(await down('t')), /TokenReview: connection refused/);
  });
});
