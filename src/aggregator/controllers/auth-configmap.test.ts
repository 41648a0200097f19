import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedCA, generateKey } from '../../pki/mod.ts';
import { combineCABundles, mergeAuthenticationData } from './auth-configmap.ts';

async function ca(cn: string, notAfter?: Date): Promise<string> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const opts = notAfter ? { notBefore: new Date(notAfter.getTime() - 86_400_000), notAfter } : { expiry: '24h' };
  return (await createSelfSignedCA({ key, subject: { CN: cn }, ...opts })).pem;
}

test('CA bundles: union, duplicates and long-expired certs dropped', async () => {
  const now = new Date();
  const [a, b, old] = await Promise.all([ca('a'), ca('b'), ca('old', new Date(now.getTime() - 10 * 60_000))]);
  const out = combineCABundles([`${a}${old}`, `${b}${a}`], now);
  assert.equal((out.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
});

test('ConfigMap data: lists unioned existing-first, requestheader keys only with a CA', async () => {
  const now = new Date();
  const [client, front] = await Promise.all([ca('client'), ca('front')]);
  const own = {
    clientCA: Buffer.from(client),
    requestHeader: { ca: Buffer.from(front), allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], uidHeaders: [], groupHeaders: ['X-Remote-Group'], extraHeadersPrefix: ['X-Remote-Extra-'] },
  };
  const data = mergeAuthenticationData({ 'requestheader-allowed-names': '["aggregator"]' }, own, now);
  assert.deepEqual(Object.keys(data).sort(), ['client-ca-file', 'requestheader-allowed-names', 'requestheader-client-ca-file', 'requestheader-extra-headers-prefix', 'requestheader-group-headers', 'requestheader-uid-headers', 'requestheader-username-headers']);
  assert.equal(data['requestheader-allowed-names'], '["aggregator","front-proxy-client"]');
  assert.equal(data['requestheader-username-headers'], '["X-Remote-User"]');
  assert.equal(data['requestheader-uid-headers'], '[]');
  assert.deepEqual(mergeAuthenticationData(data, own, now), data, 'a second merge changes nothing');
  const noFront = mergeAuthenticationData({}, { clientCA: Buffer.from(client) }, now);
  assert.deepEqual(Object.keys(noFront), ['client-ca-file']);
  assert.throws(() => mergeAuthenticationData({ 'requestheader-client-ca-file': front, 'requestheader-group-headers': '{"a":1}' }, own, now), /not a JSON string array/);
});

test('publisher: creates kube-system and the ConfigMap, keeps foreign values, writes only on change', async (t) => {
  const { createStore } = await import('../../storage/mod.ts');
  const { createAuthConfigMapPublisher } = await import('./auth-configmap.ts');
  const store = await createStore({ type: 'memory' });
  t.after(() => store.close());
  const now = new Date();
  const [client, front] = await Promise.all([ca('client'), ca('front')]);
  const key = '/registry/configmaps/kube-system/extension-apiserver-authentication';
  await store.create('/registry/namespaces/kube-system', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  await store.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extension-apiserver-authentication', namespace: 'kube-system' }, data: { 'requestheader-username-headers': '["X-Other-User"]' } });
  const publisher = createAuthConfigMapPublisher({
    store,
    now: () => now,
    info: () => ({ clientCA: Buffer.from(client), requestHeader: { ca: Buffer.from(front), allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], uidHeaders: [], groupHeaders: ['X-Remote-Group'], extraHeadersPrefix: ['X-Remote-Extra-'] } }),
  });
  await publisher.sync();
  const cm = await store.get(key);
  const data = cm.data as Record<string, string>;
  assert.equal(data['requestheader-username-headers'], '["X-Other-User","X-Remote-User"]');
  assert.equal(data['requestheader-allowed-names'], '["front-proxy-client"]');
  assert.match(data['client-ca-file'], /^-----BEGIN CERTIFICATE-----\n/);
  assert.match(data['requestheader-client-ca-file'], /^-----BEGIN CERTIFICATE-----\n/);
  await publisher.sync();
  assert.equal((await store.get(key)).metadata.resourceVersion, cm.metadata.resourceVersion, 'no write when nothing changed');
});
