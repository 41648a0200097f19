import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../apiserver/authz/authorizer.ts';
import { createPathAuthorizer, DEFAULT_ALWAYS_ALLOW_PATHS } from './always-allow-paths.ts';

const nonResource = (path: string): Attributes => ({ user: { name: 'system:anonymous', groups: [], extra: {} }, verb: 'get', isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' });

describe('createPathAuthorizer', () => {
  const table = [
    { paths: DEFAULT_ALWAYS_ALLOW_PATHS, path: '/healthz', want: 'allow' },
    { paths: DEFAULT_ALWAYS_ALLOW_PATHS, path: '/readyz', want: 'allow' },
    { paths: DEFAULT_ALWAYS_ALLOW_PATHS, path: '/healthz/ping', want: 'no-opinion' },
    { paths: DEFAULT_ALWAYS_ALLOW_PATHS, path: '/apis', want: 'no-opinion' },
    { paths: ['/openapi/*'], path: '/openapi/v3/apis/wardle.example.com/v1alpha1', want: 'allow' },
    { paths: ['/openapi/*'], path: '/openapi', want: 'no-opinion' },
  ] as const;
  for (const c of table) {
    it(`${c.paths.join(',')}: ${c.path} → ${c.want}`, async () => {
      assert.equal((await createPathAuthorizer(c.paths)(nonResource(c.path))).decision, c.want);
    });
  }
  it('never decides resource requests', async () => {
    assert.equal((await createPathAuthorizer(['/*'])({ ...nonResource('/apis/x/v1/things'), isResourceRequest: true })).decision, 'no-opinion');
  });
  it('refuses a * that is not trailing', () => {
    assert.throws(() => createPathAuthorizer(['/a*b']), /only trailing \* allowed/);
  });
});
