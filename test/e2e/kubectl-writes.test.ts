// The real kubectl writing through the API handler: apply (client- and server-side),
// the three patch types, replace with a stale resourceVersion, delete, finalizers,
// get -w with a timeout, and bad input that leaves the server serving
// (kubectl.md §10 rows 9–18).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toolOptions } from '../support/tools.ts';
import { createKubectl } from '../support/kubectl.ts';
import { startTestServer } from '../../src/apiserver/registry/testing/test-server.ts';

const CM = (value: string, extra = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
  labels:
    app: demo
data:
  key1: ${value}
${extra}`;

test('kubectl: apply, patch, replace, delete', toolOptions('kubectl'), async (t) => {
  const s = await startTestServer();
  const k = await createKubectl(s.url);
  t.after(async () => {
    await s.close();
    await k.cleanup();
  });

  const f1 = await k.file('cm.yaml', CM('value1'));
  const a1 = await k.run(['apply', '-f', f1]);
  assert.equal(a1.code, 0, a1.stderr);
  assert.equal(a1.stdout.trim(), 'configmap/applied created');
  const a1b = await k.run(['apply', '-f', f1]);
  assert.equal(a1b.stdout.trim(), 'configmap/applied unchanged');
  const f2 = await k.file('cm2.yaml', CM('value2'));
  const a2 = await k.run(['apply', '-f', f2]);
  assert.equal(a2.code, 0, a2.stderr);
  assert.equal(a2.stdout.trim(), 'configmap/applied configured');
  assert.doesNotMatch(a2.stderr, /warning/i);
  const got = JSON.parse((await k.run(['get', 'cm', 'applied', '-o', 'json'])).stdout);
  assert.equal(got.data.key1, 'value2');
  assert.match(got.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /"value2"/);

  const ssa = await k.run(['apply', '--server-side', '-f', await k.file('cm3.yaml', CM('value3').replace('name: applied', 'name: ssa'))]);
  assert.equal(ssa.code, 0, ssa.stderr);
  assert.equal(ssa.stdout.trim(), 'configmap/ssa serverside-applied');
  const otherFile = await k.file('cm4.yaml', CM('value4').replace('name: applied', 'name: ssa'));
  const conflict = await k.run(['apply', '--server-side', '--field-manager=other', '-f', otherFile]);
  assert.equal(conflict.code, 1);
  assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl" using v1: \.data\.key1/);
  const forced = await k.run(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', otherFile]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal((await k.run(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.key1}'])).stdout, 'value4');

  const unknown = await k.run(['apply', '-f', await k.file('unk.yaml', CM('v', 'foo: bar').replace('name: applied', 'name: unk'))]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /strict decoding error: unknown field "foo"/);
  const warned = await k.run(['create', '--validate=warn', '-f', await k.file('unk2.yaml', CM('v', 'foo: bar').replace('name: applied', 'name: unk2'))]);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /Warning: unknown field "foo"/);

  const p1 = await k.run(['patch', 'cm', 'applied', '-p', '{"data":{"c":"3"}}']);
  assert.equal(p1.stdout.trim(), 'configmap/applied patched');
  const p2 = await k.run(['patch', 'cm', 'applied', '--type=merge', '-p', '{"data":{"c":"3"}}']);
  assert.equal(p2.stdout.trim(), 'configmap/applied patched (no change)');
  const p3 = await k.run(['patch', 'cm', 'applied', '--type=json', '-p', '[{"op":"remove","path":"/data/c"}]']);
  assert.equal(p3.code, 0, p3.stderr);
  assert.equal(JSON.parse((await k.run(['get', 'cm', 'applied', '-o', 'json'])).stdout).data.c, undefined);

  const two = await k.run(['create', 'service', 'clusterip', 'web', '--tcp=80:8080,443:8443']);
  assert.equal(two.code, 0, two.stderr);
  const smp = await k.run(['patch', 'svc', 'web', '-p', '{"spec":{"ports":[{"port":443,"targetPort":9443}]}}']);
  assert.equal(smp.code, 0, smp.stderr);
  const ports = JSON.parse((await k.run(['get', 'svc', 'web', '-o', 'json'])).stdout).spec.ports;
  assert.deepEqual(ports.map((p: { port: number; targetPort: number }) => [p.port, p.targetPort]), [[80, 8080], [443, 9443]], 'merged by port');
  const svc = await k.run(['create', 'service', 'clusterip', 'api', '--tcp=80:8080']);
  assert.equal(svc.code, 0, svc.stderr);
  const ps = await k.run(['patch', 'svc', 'api', '-p', '{"spec":{"ports":[{"port":80,"targetPort":9090}]}}']);
  assert.equal(ps.code, 0, ps.stderr);
  assert.equal(JSON.parse((await k.run(['get', 'svc', 'api', '-o', 'json'])).stdout).spec.ports.length, 1);

  const edit = await k.run(['edit', 'cm', 'applied'], { env: { KUBE_EDITOR: 'sed -i -e s/value2/edited/' } });
  assert.equal(edit.code, 0, edit.stderr);
  assert.equal(edit.stdout.trim(), 'configmap/applied edited');
  assert.equal((await k.run(['get', 'cm', 'applied', '-o', 'jsonpath={.data.key1}'])).stdout, 'edited');

  const cur = JSON.parse((await k.run(['get', 'cm', 'applied', '-o', 'json'])).stdout);
  const stale = { ...cur, metadata: { ...cur.metadata, resourceVersion: '1' }, data: { key1: 'stale' } };
  const rep = await k.run(['replace', '-f', await k.file('stale.json', JSON.stringify(stale))]);
  assert.equal(rep.code, 1);
  assert.match(rep.stderr, /Operation cannot be fulfilled on configmaps "applied": the object has been modified/);
  const fresh = await k.run(['replace', '-f', await k.file('fresh.json', JSON.stringify({ ...cur, data: { key1: 'fresh' } }))]);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.equal(fresh.stdout.trim(), 'configmap/applied replaced');

  const del = await k.run(['delete', 'cm', 'applied']);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(del.stdout.trim(), 'configmap "applied" deleted');
  const gone = await k.run(['delete', 'cm', 'applied']);
  assert.match(gone.stderr, /Error from server \(NotFound\): configmaps "applied" not found/);

  const fin = await k.run(['apply', '-f', await k.file('fin.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fin\n  finalizers: ["example.com/hold"]\n')]);
  assert.equal(fin.code, 0, fin.stderr);
  const held = await k.run(['delete', 'cm', 'fin', '--wait=false']);
  assert.equal(held.code, 0, held.stderr);
  const terminating = JSON.parse((await k.run(['get', 'cm', 'fin', '-o', 'json'])).stdout);
  assert.ok(terminating.metadata.deletionTimestamp);
  const release = await k.run(['patch', 'cm', 'fin', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  assert.equal(release.code, 0, release.stderr);
  assert.match((await k.run(['get', 'cm', 'fin'])).stderr, /NotFound/);

  const rb = await k.run(['create', 'rolebinding', 'rb', '--clusterrole=view', '--user=bob']);
  assert.equal(rb.code, 0, rb.stderr);
  const changeRef = await k.run(['patch', 'rolebinding', 'rb', '--type=merge', '-p', '{"roleRef":{"name":"edit"}}']);
  assert.equal(changeRef.code, 1);
  assert.match(changeRef.stderr, /cannot change roleRef/);
});

test('kubectl get -w prints changes until the server ends the watch', toolOptions('kubectl'), async (t) => {
  const s = await startTestServer();
  const k = await createKubectl(s.url);
  t.after(async () => {
    await s.close();
    await k.cleanup();
  });
  assert.equal((await k.run(['create', 'configmap', 'w0'])).code, 0);
  let sawHeader: () => void = () => undefined;
  const headerSeen = new Promise<void>((resolve) => (sawHeader = resolve));
  const watching = k.run(['get', 'cm', '-w', '--request-timeout=6s'], { timeoutMs: 20_000, onOutput: (out) => out.includes('w0') && sawHeader() });
  await headerSeen;
  assert.equal((await k.run(['create', 'configmap', 'w1', '--from-literal=a=b'])).code, 0);
  assert.equal((await k.run(['delete', 'cm', 'w0'])).code, 0);
  const out = await watching;
  assert.match(out.stdout, /^NAME\s+DATA\s+AGE$/m);
  assert.match(out.stdout, /^w1\s+1\s+\d+s$/m);
  assert.equal(out.stdout.match(/^w0\s/gm)?.length, 2, 'initial row and the deletion');
});
