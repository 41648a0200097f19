// The Status bodies kubectl prints (kubectl.md §7), against golden files; volatile uids
// are replaced by a fixed string.
import { test } from 'node:test';
import { assertGolden } from './testing/golden.ts';
import { startTestServer } from './testing/test-server.ts';

const TESTDATA = new URL('./testdata/', import.meta.url);
const CM = '/api/v1/namespaces/default/configmaps';

test('Status bodies match their golden files', async (t) => {
  const s = await startTestServer({ newUID: () => 'uid-fixed' });
  t.after(() => s.close());
  const send = (method: string, path: string, body?: unknown, type = 'application/json') =>
    fetch(`${s.url}${path}`, { method, headers: { 'Content-Type': type }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  await send('POST', CM, { metadata: { name: 'x' } });
  const cases: Array<[string, () => Promise<Response>]> = [
    ['status-not-found.json', () => send('GET', `${CM}/nope`)],
    ['status-already-exists.json', () => send('POST', CM, { metadata: { name: 'x' } })],
    ['status-conflict.json', () => send('PUT', `${CM}/x`, { metadata: { name: 'x', resourceVersion: '1' } })],
    ['status-invalid.json', () => send('POST', CM, { metadata: { name: 'bad' }, data: { 'bad key': 'v', 'bad/key': 'w' } })],
    ['status-strict.json', () => send('POST', `${CM}?fieldValidation=Strict`, { metadata: { name: 's' }, foo: 1, bar: 2 })],
    ['status-unknown-subresource.json', () => send('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/x/status')],
    ['status-method-not-allowed.json', () => send('PUT', CM, { metadata: { name: 'x' } })],
    ['status-unknown-path.json', () => send('GET', '/apis/nope.example.com/v1/things')],
    ['status-unsupported-media.json', () => send('PATCH', `${CM}/x`, '{}', 'text/plain')],
    ['status-delete-success.json', () => send('DELETE', `${CM}/x`, { propagationPolicy: 'Background' })],
  ];
  for (const [name, request] of cases) {
    const res = await request();
    await assertGolden(TESTDATA, name, `${res.status}\n${JSON.stringify(await res.json(), null, 2)}\n`);
  }
});
