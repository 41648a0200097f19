import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSelfSignedCA, generateKey } from '../../pki/mod.ts';
import { createStore } from '../../storage/mod.ts';
import { combineCABundles, mergeAuthConfigData, syncAuthConfigMap, type OwnAuthConfig } from './auth-config-publisher.ts';

const DAY = 86_400_000;
async function ca(cn: string, notAfter?: Date): Promise<string> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  return (await createSelfSignedCA({ key, subject: { CN: cn }, expiry: '24h', ...(notAfter ? { notBefore: new Date(notAfter.getTime() - DAY), notAfter } : {}) })).pem;
}

test('combineCABundles: union, duplicates and long-expired certificates dropped', async () => {
  const now = new Date();
  const [a, b, expired, justExpired] = await Promise.all([ca('a'), ca('b'), ca('old', new Date(now.getTime() - 10 * 60_000)), ca('recent', new Date(now.getTime() - 60_000))]);
  const out = combineCABundles([`${a}${expired}`, `${a}${b}${justExpired}`], now);
  assert.equal(out.match(/BEGIN CERTIFICATE/g)?.length, 3);
  assert.equal(combineCABundles(['', 'garbage'], now), '');
});

test('mergeAuthConfigData: existing list entries first; requestheader keys only with a requestheader CA', async () => {
  const [client, proxy] = await Promise.all([ca('client'), ca('proxy')]);
  const own: OwnAuthConfig = { clientCAPem: client, requestHeader: { caPem: proxy, allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], uidHeaders: [], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'] } };
  const data = mergeAuthConfigData({ 'requestheader-allowed-names': '["aggregator"]', 'requestheader-username-headers': 'not json' }, own, new Date());
  assert.deepEqual(Object.keys(data).sort(), ['client-ca-file', 'requestheader-allowed-names', 'requestheader-client-ca-file', 'requestheader-extra-headers-prefix', 'requestheader-group-headers', 'requestheader-uid-headers', 'requestheader-username-headers']);
  assert.equal(data['requestheader-allowed-names'], '["aggregator","front-proxy-client"]');
  assert.equal(data['requestheader-username-headers'], '["X-Remote-User"]');
  assert.equal(data['requestheader-uid-headers'], '[]');
  assert.deepEqual(Object.keys(mergeAuthConfigData({}, { clientCAPem: client }, new Date())), ['client-ca-file']);
});

test('syncAuthConfigMap: creates, then leaves an unchanged map alone, then updates', async (t) => {
  const store = await createStore({ type: 'memory' });
  t.after(() => store.close());
  const own: OwnAuthConfig = { clientCAPem: await ca('client') };
  assert.equal(await syncAuthConfigMap(store, '/registry', own), 'created');
  const first = await store.get('/registry/configmaps/kube-system/extension-apiserver-authentication');
  assert.equal(first.kind, 'ConfigMap');
  assert.equal(await syncAuthConfigMap(store, '/registry', own), 'unchanged');
  assert.equal((await store.get('/registry/configmaps/kube-system/extension-apiserver-authentication')).metadata.resourceVersion, first.metadata.resourceVersion);
  assert.equal(await syncAuthConfigMap(store, '/registry', { clientCAPem: await ca('second') }), 'updated');
  const data = (await store.get('/registry/configmaps/kube-system/extension-apiserver-authentication')).data as Record<string, string>;
  assert.equal(data['client-ca-file'].match(/BEGIN CERTIFICATE/g)?.length, 2, 'the earlier CA is kept');
});
