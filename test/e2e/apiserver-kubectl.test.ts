// `kagg serve` end to end with the real kubectl: version, namespaces, auth whoami/can-i,
// create token, RBAC escalation and impersonation as kubectl reports them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiRequest, startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { toolOptions } from '../support/tools.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const opts = toolOptions('kubectl');

describe('kagg serve with kubectl', opts, () => {
  let server: TestApiServer;
  let cacheDir: string;
  let jane: string;

  /** kubectl is run asynchronously: the server lives in this process. */
  function kubectl(kubeconfig: string, ...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number((err as { code?: unknown }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function apply(yaml: string): Promise<Run> {
    const file = join(server.dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, yaml);
    return kubectl(server.kubeconfig, 'apply', '-f', file);
  }

  before(async () => {
    server = await startTestApiServer({ authorizationMode: 'RBAC' });
    cacheDir = await mkdtemp(join(tmpdir(), 'kagg-kubectl-cache-'));
    jane = await server.writeKubeconfig('jane', { cert: server.pki.jane });
  });
  after(async () => {
    await server?.close();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  test('kubectl version reports the kagg server as 1.32', async () => {
    const r = await kubectl(server.kubeconfig, 'version');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Server Version: v1\.32\.0-kagg/);
    assert.doesNotMatch(r.stdout + r.stderr, /version difference/);
  });

  test('kubectl get ns lists the bootstrap namespaces', async () => {
    const r = await kubectl(server.kubeconfig, 'get', 'ns', '-o', 'name');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['namespace/default', 'namespace/kube-public', 'namespace/kube-system']);
  });

  test('kubectl auth whoami shows the certificate identity', async () => {
    const r = await kubectl(jane, 'auth', 'whoami');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Username\s+jane$/m);
    assert.match(r.stdout, /^Groups\s+\[devs system:authenticated\]$/m);
  });

  test('kubectl auth can-i answers from RBAC', async () => {
    const yes = await kubectl(server.kubeconfig, 'auth', 'can-i', 'create', 'configmaps');
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(yes.stdout.trim(), 'yes');
    const no = await kubectl(jane, 'auth', 'can-i', 'create', 'configmaps');
    assert.equal(no.code, 1);
    assert.equal(no.stdout.trim(), 'no');
    const whoamiAllowed = await kubectl(jane, 'auth', 'can-i', 'create', 'selfsubjectreviews.authentication.k8s.io');
    assert.equal(whoamiAllowed.stdout.trim(), 'yes');
  });

  test('kubectl create token: a service-account token that authenticates', async () => {
    assert.equal((await kubectl(server.kubeconfig, 'create', 'serviceaccount', 'robot')).code, 0);
    const t = await kubectl(server.kubeconfig, 'create', 'token', 'robot', '--duration=20m');
    assert.equal(t.code, 0, t.stderr);
    const token = t.stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const robot = await server.writeKubeconfig('robot', { token });
    const who = await kubectl(robot, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    assert.equal(who.stdout, 'system:serviceaccount:default:robot');
    const short = await kubectl(server.kubeconfig, 'create', 'token', 'robot', '--duration=1m');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
    const missing = await kubectl(server.kubeconfig, 'create', 'token', 'nobody');
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
    // deleting the ServiceAccount revokes its tokens
    assert.equal((await kubectl(server.kubeconfig, 'delete', 'serviceaccount', 'robot')).code, 0);
    assert.equal((await apiRequest(server, '/api/v1/namespaces/default/configmaps', { token })).status, 401);
  });

  test('RBAC escalation: binding what the binder does not hold is 403; within its rules it works', async () => {
    const setup = await apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: binder, namespace: default}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, roles], verbs: [create, get, list]}
- {apiGroups: [""], resources: [configmaps], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-binder, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]
`);
    assert.equal(setup.code, 0, setup.stderr);
    // wait (bounded) until jane's new rights are visible through the informer
    for (let i = 0; i < 50; i++) {
      if ((await kubectl(jane, 'auth', 'can-i', 'create', 'rolebindings')).stdout.trim() === 'yes') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const escalate = await kubectl(jane, 'create', 'rolebinding', 'grab', '--clusterrole=cluster-admin', '--user=jane');
    assert.equal(escalate.code, 1);
    assert.match(escalate.stderr, /rolebindings\.rbac\.authorization\.k8s\.io "grab" is forbidden: user "jane" \(groups=\["devs" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held/);
    const escalateRole = await kubectl(jane, 'create', 'role', 'wide', '--verb=delete', '--resource=secrets');
    assert.equal(escalateRole.code, 1);
    assert.match(escalateRole.stderr, /attempting to grant RBAC permissions not currently held/);
    const ok = await kubectl(jane, 'create', 'role', 'narrow', '--verb=get', '--resource=configmaps');
    assert.equal(ok.code, 0, ok.stderr);
    const bindOk = await kubectl(jane, 'create', 'rolebinding', 'narrow-bob', '--role=narrow', '--user=bob');
    assert.equal(bindOk.code, 0, bindOk.stderr);
  });

  test('aggregated ClusterRoles carry their rules; a labelled ClusterRole joins view', async () => {
    const rulesOf = async (name: string) => JSON.parse((await kubectl(server.kubeconfig, 'get', 'clusterrole', name, '-o', 'json')).stdout).rules as { resources?: string[]; verbs: string[] }[];
    let admin: { resources?: string[]; verbs: string[] }[] = [];
    for (let i = 0; i < 50 && !admin.some((r) => r.resources?.includes('rolebindings')); i++) {
      admin = await rulesOf('admin');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(admin.some((r) => r.resources?.includes('rolebindings')), 'admin holds aggregate-to-admin rules');
    assert.ok(admin.some((r) => r.resources?.includes('configmaps') && r.verbs.includes('watch')), 'admin holds view rules through edit');
    const created = await apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: flunder-reader
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- {apiGroups: [wardle.example.com], resources: [flunders], verbs: [get]}
`);
    assert.equal(created.code, 0, created.stderr);
    let view: { resources?: string[] }[] = [];
    for (let i = 0; i < 50 && !view.some((r) => r.resources?.includes('flunders')); i++) {
      view = await rulesOf('view');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(view.some((r) => r.resources?.includes('flunders')));
  });

  test('impersonation: allowed for masters, forbidden without the verb', async () => {
    const asJane = await kubectl(server.kubeconfig, '--as=jane', 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    assert.equal(asJane.stdout, 'jane');
    const denied = await kubectl(jane, '--as=kubernetes-admin', 'get', 'secrets');
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /users "kubernetes-admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope/);
  });
});

describe('kagg serve as a process', toolOptions('kubectl'), () => {
  test('starts with the seed manifest\'s extra flags, answers /readyz, stops on SIGTERM', async () => {
    const server = await startTestApiServer({ child: true, storage: 'sqlite', args: ['--allow-privileged=true', '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--insecure-port=0'] });
    try {
      const ready = await apiRequest(server, '/readyz?verbose', { cert: server.pki.admin });
      assert.equal(ready.status, 200, ready.text);
      assert.match(ready.text, /\[\+\]etcd ok/);
      assert.match(server.logs(), /flag --allow-privileged is accepted for kube-apiserver compatibility and ignored/);
      assert.match(server.logs(), /authorization mode "Node" is not supported/);
      assert.ok(server.pid && server.pid > 0);
    } finally {
      await server.close();
    }
  });
});
