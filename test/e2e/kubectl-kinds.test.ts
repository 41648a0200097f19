// Every writable built-in kind through the real kubectl: apply (create, then update by
// strategic merge), the three patch types, replace, get -w with a timeout and delete
// (issue 5: configmaps, secrets, services, roles and bindings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toolOptions } from '../support/tools.ts';
import { createKubectl } from '../support/kubectl.ts';
import { startTestServer } from '../../src/apiserver/registry/testing/test-server.ts';

interface Kind {
  resource: string;
  /** What `kubectl ... <resource>/<name>` prints as the object name. */
  printed: string;
  manifest: (name: string, variant: string) => string;
  /** A strategic merge patch and the jsonpath whose value it sets to `patched`. */
  smp: string;
  path: string;
}

const RBAC = 'rbac.authorization.k8s.io';
const rules = (verb: string) => `rules:\n- apiGroups: [""]\n  resources: ["configmaps"]\n  verbs: ["${verb}"]\n`;

const KINDS: Kind[] = [
  { resource: 'secret', printed: 'secret', manifest: (n, v) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${n}\nstringData:\n  k: ${v}\n`, smp: '{"metadata":{"labels":{"v":"patched"}}}', path: '{.metadata.labels.v}' },
  { resource: 'service', printed: 'service', manifest: (n, v) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\n  labels: {v: ${v}}\nspec:\n  selector: {app: ${n}}\n  ports:\n  - name: http\n    port: 80\n`, smp: '{"metadata":{"labels":{"v":"patched"}}}', path: '{.metadata.labels.v}' },
  { resource: 'role', printed: `role.${RBAC}`, manifest: (n, v) => `apiVersion: ${RBAC}/v1\nkind: Role\nmetadata:\n  name: ${n}\n  labels: {v: ${v}}\n${rules('get')}`, smp: '{"metadata":{"labels":{"v":"patched"}}}', path: '{.metadata.labels.v}' },
  { resource: 'clusterrole', printed: `clusterrole.${RBAC}`, manifest: (n, v) => `apiVersion: ${RBAC}/v1\nkind: ClusterRole\nmetadata:\n  name: ${n}\n  labels: {v: ${v}}\n${rules('list')}`, smp: '{"metadata":{"labels":{"v":"patched"}}}', path: '{.metadata.labels.v}' },
  { resource: 'rolebinding', printed: `rolebinding.${RBAC}`, manifest: (n, v) => `apiVersion: ${RBAC}/v1\nkind: RoleBinding\nmetadata:\n  name: ${n}\n  labels: {v: ${v}}\nroleRef: {apiGroup: ${RBAC}, kind: ClusterRole, name: view}\nsubjects:\n- {kind: User, apiGroup: ${RBAC}, name: ${v}}\n`, smp: '{"metadata":{"labels":{"v":"patched"}}}', path: '{.metadata.labels.v}' },
  { resource: 'clusterrolebinding', printed: `clusterrolebinding.${RBAC}`, manifest: (n, v) => `apiVersion: ${RBAC}/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ${n}\n  labels: {v: ${v}}\nroleRef: {apiGroup: ${RBAC}, kind: ClusterRole, name: view}\nsubjects:\n- {kind: Group, apiGroup: ${RBAC}, name: ${v}}\n`, smp: '{"metadata":{"labels":{"v":"patched"}}}', path: '{.metadata.labels.v}' },
];

test('kubectl: apply, patch, replace, watch and delete every writable built-in kind', toolOptions('kubectl'), async (t) => {
  const s = await startTestServer();
  const k = await createKubectl(s.url);
  t.after(async () => {
    await s.close();
    await k.cleanup();
  });
  for (const kind of KINDS) {
    const name = `${kind.resource}-one`;
    const ref = `${kind.resource}/${name}`;
    const id = `${kind.printed}/${name}`;
    const created = await k.run(['apply', '-f', await k.file(`${name}-1.yaml`, kind.manifest(name, 'first'))]);
    assert.equal(created.stdout.trim(), `${id} created`, `${kind.resource}: ${created.stderr}`);
    const updated = await k.run(['apply', '-f', await k.file(`${name}-2.yaml`, kind.manifest(name, 'second'))]);
    assert.equal(updated.stdout.trim(), `${id} configured`, `${kind.resource}: ${updated.stderr}`);
    assert.doesNotMatch(updated.stderr, /warning/i, kind.resource);

    const smp = await k.run(['patch', ref, '-p', kind.smp]);
    assert.equal(smp.stdout.trim(), `${id} patched`, `${kind.resource}: ${smp.stderr}`);
    assert.equal((await k.run(['get', ref, '-o', `jsonpath=${kind.path}`])).stdout, 'patched', kind.resource);
    const merge = await k.run(['patch', ref, '--type=merge', '-p', '{"metadata":{"annotations":{"a":"b"}}}']);
    assert.equal(merge.stdout.trim(), `${id} patched`, `${kind.resource}: ${merge.stderr}`);
    const json = await k.run(['patch', ref, '--type=json', '-p', '[{"op":"remove","path":"/metadata/annotations/a"}]']);
    assert.equal(json.stdout.trim(), `${id} patched`, `${kind.resource}: ${json.stderr}`);

    const live = JSON.parse((await k.run(['get', ref, '-o', 'json'])).stdout);
    const replaced = await k.run(['replace', '-f', await k.file(`${name}-3.json`, JSON.stringify({ ...live, metadata: { ...live.metadata, labels: { v: 'replaced' } } }))]);
    assert.equal(replaced.stdout.trim(), `${id} replaced`, `${kind.resource}: ${replaced.stderr}`);

    const watch = await k.run(['get', ref, '-w', '--request-timeout=2s', '-o', 'name'], { timeoutMs: 15_000 });
    assert.equal(watch.stdout.trim().split('\n')[0], id, `${kind.resource}: ${watch.stderr}`);

    const deleted = await k.run(['delete', ref]);
    assert.equal(deleted.code, 0, `${kind.resource}: ${deleted.stderr}`);
    assert.match(deleted.stdout, /deleted/);
    assert.match((await k.run(['get', ref])).stderr, /NotFound/, kind.resource);
  }
});
