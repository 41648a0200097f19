// The real kubectl pointed straight at the wardle server (no aggregator): discovery that
// tolerates the missing /api, apply of the sample manifest, the server-side Table columns,
// both versions, BanFlunder as kubectl prints it, a watch, and a TokenReview'd user who
// the SubjectAccessReview forbids.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { createAPIHandler } from '../../src/apiserver/registry/mod.ts';
import { startTestApiServer, TEST_TOKENS, type TestApiServer } from '../support/apiserver.ts';
import { publishAuthConfigMap, startTestWardle, type TestWardle } from '../support/extension.ts';
import { toolOptions } from '../support/tools.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface DeploymentDoc {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string; containers: Array<{ ports: Array<{ containerPort: number }> }> } } };
}
interface ServiceDoc {
  metadata: { name: string; namespace: string };
  spec: { selector: Record<string, string>; ports: Array<{ port: number; targetPort: number }> };
}
interface APIServiceDoc {
  metadata: { name: string };
  spec: { service: { name: string; namespace: string; port: number } };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('kubectl against the wardle server', toolOptions('kubectl'), () => {
  let core: TestApiServer;
  let wardle: TestWardle;
  let cacheDir: string;
  let admin: string;
  let jane: string;

  function kubectl(kubeconfig: string, ...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        resolve({ code: err ? 1 : 0, stdout, stderr });
      });
    });
  }

  async function kubeconfigFor(name: string, user: Record<string, string>): Promise<string> {
    const file = join(cacheDir, `${name}.kubeconfig`);
    await writeFile(file, stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'wardle', cluster: { server: wardle.url, 'certificate-authority-data': Buffer.from(wardle.caBundle).toString('base64') } }],
      users: [{ name, user }],
      contexts: [{ name, context: { cluster: 'wardle', user: name, namespace: 'default' } }],
      'current-context': name,
    }), { mode: 0o600 });
    return file;
  }

  before(async () => {
    core = await startTestApiServer({ createApi: createAPIHandler });
    await publishAuthConfigMap(core);
    wardle = await startTestWardle({ core });
    cacheDir = await mkdtemp(join(tmpdir(), 'kagg-wardle-kubectl-'));
    admin = await kubeconfigFor('admin', { 'client-certificate-data': Buffer.from(core.pki.admin.cert).toString('base64'), 'client-key-data': Buffer.from(core.pki.admin.key).toString('base64') });
    jane = await kubeconfigFor('jane', { token: TEST_TOKENS.jane });
  });
  after(async () => {
    await wardle?.close();
    await core?.close();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  test('kubectl apply of the sample, then get with the Table columns', async () => {
    const applied = await kubectl(admin, 'apply', '-f', join(ROOT, 'deploy', 'wardle', 'sample', 'flunder.yaml'));
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /fischer.wardle.example.com\/my-first-fischer created/);
    assert.match(applied.stdout, /flunder.wardle.example.com\/my-first-flunder created/);
    const got = await kubectl(admin, 'get', 'flunders');
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^NAME\s+REFERENCE TYPE\s+REFERENCE\s+AGE$/m);
    assert.match(got.stdout, /^my-first-flunder\s+Fischer\s+my-first-fischer\s+\S+$/m);
    const fischers = await kubectl(admin, 'get', 'fischers');
    assert.match(fischers.stdout, /^my-first-fischer\s+bad-flunder\s+\S+$/m);
  });

  test('kubectl reads the v1beta1 shape of the same flunder', async () => {
    const r = await kubectl(admin, 'get', 'flunders.v1beta1.wardle.example.com', 'my-first-flunder', '-o', 'jsonpath={.apiVersion} {.spec.fischerReference}');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'wardle.example.com/v1beta1 my-first-fischer');
  });

  test('kubectl create of a disallowed flunder shows the BanFlunder error', async () => {
    const file = join(cacheDir, 'bad.yaml');
    await writeFile(file, 'apiVersion: wardle.example.com/v1alpha1\nkind: Flunder\nmetadata:\n  name: bad-flunder\n');
    const r = await kubectl(admin, 'create', '-f', file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(Forbidden\).*flunders.wardle.example.com "bad-flunder" is forbidden: this name may not be used, please change the resource name/);
  });

  test('kubectl get --watch sees a create', async () => {
    const child = spawn('kubectl', ['--kubeconfig', admin, '--cache-dir', cacheDir, 'get', 'flunders', '--watch', '-o', 'name'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no watch event within 20 s: ${out}`)), 20_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/flunder.wardle.example.com\/watched-flunder/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const file = join(cacheDir, 'watched.yaml');
      await writeFile(file, 'apiVersion: wardle.example.com/v1alpha1\nkind: Flunder\nmetadata:\n  name: watched-flunder\n');
      const created = await kubectl(admin, 'create', '-f', file);
      assert.equal(created.code, 0, created.stderr);
      await seen;
    } finally {
      if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    }
  });

  test('deploy/wardle: namespace, service account, RBAC and Service apply to a core server; the rest agrees with them', async () => {
    const coreAdmin = core.kubeconfig;
    const files = ['00-namespace.yaml', '01-serviceaccount.yaml', '02-rbac.yaml', '04-service.yaml'].flatMap((f) => ['-f', join(ROOT, 'deploy', 'wardle', f)]);
    const applied = await kubectl(coreAdmin, 'apply', ...files);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /rolebinding.rbac.authorization.k8s.io\/wardle-auth-reader created/);
    const canRead = await kubectl(coreAdmin, 'auth', 'can-i', 'get', 'configmaps/extension-apiserver-authentication', '-n', 'kube-system', '--as=system:serviceaccount:wardle:apiserver');
    assert.equal(canRead.stdout.trim(), 'yes', canRead.stderr);
    const canReview = await kubectl(coreAdmin, 'auth', 'can-i', 'create', 'subjectaccessreviews.authorization.k8s.io', '--as=system:serviceaccount:wardle:apiserver');
    assert.equal(canReview.stdout.trim(), 'yes', canReview.stderr);
    const deployment = parse(await readFile(join(ROOT, 'deploy', 'wardle', '03-deployment.yaml'), 'utf8')) as DeploymentDoc;
    const service = parse(await readFile(join(ROOT, 'deploy', 'wardle', '04-service.yaml'), 'utf8')) as ServiceDoc;
    const apiServices = parseAllDocuments(await readFile(join(ROOT, 'deploy', 'wardle', '05-apiservice.yaml'), 'utf8')).map((d) => d.toJS() as APIServiceDoc);
    assert.deepEqual(service.spec.selector, deployment.spec.template.metadata.labels);
    assert.equal(deployment.spec.template.spec.serviceAccountName, 'apiserver');
    assert.equal(service.spec.ports[0].targetPort, deployment.spec.template.spec.containers[0].ports[0].containerPort);
    for (const a of apiServices) assert.deepEqual(a.spec.service, { name: service.metadata.name, namespace: service.metadata.namespace, port: service.spec.ports[0].port });
    assert.deepEqual(apiServices.map((a) => a.metadata.name), ['v1alpha1.wardle.example.com', 'v1beta1.wardle.example.com']);
  });

  test('a bearer token is reviewed by the core server and the SubjectAccessReview forbids', async () => {
    const r = await kubectl(jane, 'get', 'flunders');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /flunders.wardle.example.com is forbidden: User "jane" cannot list resource "flunders" in API group "wardle.example.com" in the namespace "default"/);
  });
});
