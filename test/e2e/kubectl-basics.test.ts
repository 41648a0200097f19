// The real kubectl against the API handler on plain HTTP: discovery, explain, get/describe,
// typed (protobuf) creates, chunked lists and Status errors (kubectl.md §10 rows 2–14).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toolOptions } from '../support/tools.ts';
import { createKubectl } from '../support/kubectl.ts';
import { startTestServer } from '../../src/apiserver/registry/testing/test-server.ts';

test('kubectl: discovery, typed creates, get, describe, explain, errors', toolOptions('kubectl'), async (t) => {
  const s = await startTestServer();
  const k = await createKubectl(s.url);
  t.after(async () => {
    await s.close();
    await k.cleanup();
  });

  const resources = await k.run(['api-resources']);
  assert.equal(resources.code, 0, resources.stderr);
  assert.match(resources.stdout, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
  assert.match(resources.stdout, /^clusterroles\s+rbac\.authorization\.k8s\.io\/v1\s+false\s+ClusterRole$/m);
  assert.match(resources.stdout, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);

  const raw = await k.run(['get', '--raw', '/apis']);
  assert.equal(raw.code, 0, raw.stderr);
  assert.equal(JSON.parse(raw.stdout).kind, 'APIGroupList');

  const created = await k.run(['create', 'configmap', 'c1', '--from-literal=k=v']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout.trim(), 'configmap/c1 created');
  const again = await k.run(['create', 'configmap', 'c1', '--from-literal=k=v']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /configmaps "c1" already exists/);

  const secret = await k.run(['create', 'secret', 'generic', 's1', '--from-literal=password=hunter2']);
  assert.equal(secret.code, 0, secret.stderr);
  const sv = await k.run(['get', 'secret', 's1', '-o', 'jsonpath={.data.password}']);
  assert.equal(Buffer.from(sv.stdout, 'base64').toString(), 'hunter2');

  const ns = await k.run(['create', 'namespace', 'team-a']);
  assert.equal(ns.code, 0, ns.stderr);
  assert.equal((await k.run(['create', 'configmap', 'c2', '-n', 'team-a', '--from-literal=a=1', '--from-literal=b=2'])).code, 0);
  assert.equal((await k.run(['create', 'serviceaccount', 'robot'])).code, 0);
  const svc = await k.run(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
  assert.equal(svc.code, 0, svc.stderr);
  const role = await k.run(['create', 'role', 'reader', '--verb=get,list', '--resource=configmaps']);
  assert.equal(role.code, 0, role.stderr);
  const rb = await k.run(['create', 'rolebinding', 'reader-bob', '--role=reader', '--user=bob', '--serviceaccount=default:robot']);
  assert.equal(rb.code, 0, rb.stderr);
  const cr = await k.run(['create', 'clusterrole', 'ns-viewer', '--verb=get', '--resource=namespaces']);
  assert.equal(cr.code, 0, cr.stderr);
  const crb = await k.run(['create', 'clusterrolebinding', 'ns-viewer-devs', '--clusterrole=ns-viewer', '--group=devs']);
  assert.equal(crb.code, 0, crb.stderr);

  const cms = await k.run(['get', 'configmaps']);
  assert.equal(cms.code, 0, cms.stderr);
  assert.match(cms.stdout, /^NAME\s+DATA\s+AGE$/m);
  assert.match(cms.stdout, /^c1\s+1\s+\d+s$/m);

  const wide = await k.run(['get', 'cm', '-A', '-o', 'wide']);
  assert.match(wide.stdout, /^NAMESPACE\s+NAME\s+DATA\s+AGE$/m);
  assert.match(wide.stdout, /^team-a\s+c2\s+2\s+/m);
  assert.ok(wide.stdout.indexOf('default ') < wide.stdout.indexOf('team-a '), 'namespace order');

  const svcWide = await k.run(['get', 'svc', 'web', '-o', 'wide']);
  assert.match(svcWide.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/m);
  assert.match(svcWide.stdout, /^web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=web$/m);

  const rbs = await k.run(['get', 'rolebindings', '-o', 'wide']);
  assert.match(rbs.stdout, /^reader-bob\s+Role\/reader\s+\S+\s+bob\s+default:robot$/m);
  const roles = await k.run(['get', 'roles']);
  assert.match(roles.stdout, /^NAME\s+CREATED AT$/m);
  assert.match(roles.stdout, /^reader\s+\d{4}-\d\d-\d\dT/m);
  const nss = await k.run(['get', 'ns']);
  assert.match(nss.stdout, /^team-a\s+Active\s+/m);
  assert.match(nss.stdout, /^kube-system\s+Active\s+/m);

  const chunked = await k.run(['get', 'cm', '-A', '--chunk-size=1', '-o', 'name']);
  assert.deepEqual(chunked.stdout.trim().split('\n'), ['configmap/c1', 'configmap/c2']);
  const chunkedTable = await k.run(['get', 'cm', '-A', '--chunk-size=1']);
  assert.deepEqual(chunkedTable.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' ')), ['NAMESPACE NAME DATA', 'default c1 1', 'team-a c2 2']);

  const describe = await k.run(['describe', 'cm', 'c1']);
  assert.equal(describe.code, 0, describe.stderr);
  assert.match(describe.stdout, /^Name:\s+c1$/m);
  assert.match(describe.stdout, /^Events:\s+<none>$/m);

  const explain = await k.run(['explain', 'configmap.data']);
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /KIND:\s+ConfigMap/);
  assert.match(explain.stdout, /FIELD:\s+data <map\[string\]string>/);
  assert.match(explain.stdout, /Data contains the configuration data/);

  const missing = await k.run(['get', 'cm', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error from server \(NotFound\): configmaps "nope" not found/);
  const bogus = await k.run(['get', 'bogus']);
  assert.match(bogus.stderr, /the server doesn't have a resource type "bogus"/);
});
