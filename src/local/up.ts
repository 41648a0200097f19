// `kagg up`: the whole local system from one command. Generates (or reuses) the PKI,
// starts kagg on 127.0.0.1 (SQLite, or a real etcd with TLS), starts the sample wardle
// server with its own certificates, registers it (Service, Endpoints, APIServices with the
// caBundle), waits until it is Available and writes the admin kubeconfig.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyObject, getObject, type KubeObject } from '../client/apply.ts';
import { createKubeClient, loadKubeconfig, type KubeClient } from '../client/kube-client.ts';
import { encodePrivateKeyPem, generateKey, signCertificate } from '../pki/mod.ts';
import { buildKubeconfig, initCertTree, issueKubeconfig, loadClusterCa } from '../pki/kubeadm/mod.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { startEtcd } from './etcd.ts';
import { readManifests } from './manifests.ts';
import { assertPortFree, freePort } from './ports.ts';
import { stateDir, type StateDir } from './state-dir.ts';
import { startProcess, stopProcess, type Supervised } from './supervisor.ts';
import { ensureServingPki } from './wardle-pki.ts';
import { WARDLE_GROUP } from '../../examples/wardle/flunder.ts';
import { WARDLE_SERVICE, wardleRegistration } from '../../examples/wardle/registration.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KAGG_BIN = join(ROOT, 'bin', 'kagg.mjs');
/** What a real cluster applies for the sample server (namespace, service account, RBAC). */
const WARDLE_MANIFESTS = ['00-namespace.yaml', '01-serviceaccount.yaml', '02-rbac.yaml'].map((f) => join(ROOT, 'deploy', 'wardle', f));
/** The sample server's identity towards kagg: its service account's user name. */
const WARDLE_USER = `system:serviceaccount:${WARDLE_SERVICE.namespace}:apiserver`;
const WARDLE_VERSIONS = ['v1alpha1', 'v1beta1'];
const HOST = '127.0.0.1';

export interface UpOptions {
  stateDir: string;
  cwd: string;
  port: number;
  /** 0: pick a free port. */
  wardlePort: number;
  storage: 'sqlite' | 'etcd';
  log: (line: string) => void;
  /** How long to wait for each component; default 90 s. */
  timeoutMs?: number;
}

export interface RunningStack {
  state: StateDir;
  server: string;
  processes: Supervised[];
  /** Resolves when any component exits on its own (a crash): its name and exit status. */
  crashed: Promise<{ name: string; status: number | string }>;
  stop(): Promise<void>;
}

export async function up(options: UpOptions): Promise<RunningStack> {
  const state = stateDir(options.stateDir, options.cwd);
  const timeoutMs = options.timeoutMs ?? 90_000;
  const log = options.log;
  await assertPortFree(options.port, HOST, '--port');
  const wardlePort = options.wardlePort || (await freePort(HOST));
  if (options.wardlePort) await assertPortFree(wardlePort, HOST, '--wardle-port');
  for (const dir of [state.root, state.logs, state.data]) await mkdir(dir, { recursive: true, mode: 0o700 });

  const server = `https://${HOST}:${options.port}`;
  log(`[pki] certificates in ${state.pki}`);
  await initCertTree({
    certDir: state.pki,
    nodeName: 'kagg',
    advertiseAddress: HOST,
    apiserverCertSans: ['localhost', HOST],
    log: (line) => log(line),
  });
  await writeFileAtomic(state.adminKubeconfig, await issueKubeconfig({ certDir: state.pki, kind: 'admin', server }), { mode: 0o600 });
  await writeWardleKubeconfig(state, server);
  const wardlePki = await ensureServingPki(state.wardlePki, WARDLE_SERVICE);

  const processes: Supervised[] = [];
  const stop = async () => {
    for (const p of [...processes].reverse()) await stopProcess(p);
    await rm(state.readyMarker, { force: true });
    await rm(state.childPids, { force: true });
  };
  const record = async (p: Supervised) => {
    processes.push(p);
    await writeFile(state.childPids, processes.map((q) => `${q.name} ${q.pid}\n`).join(''));
  };

  try {
    let storageFlags = ['--storage', `sqlite:${join(state.data, 'kagg.db')}`];
    if (options.storage === 'etcd') {
      const etcd = await startEtcd({ state, host: HOST, timeoutMs });
      await record(etcd.process);
      storageFlags = etcd.serveFlags;
      log(`[etcd] serving on ${etcd.endpoint} (log ${etcd.process.name}: ${join(state.logs, 'etcd.log')})`);
    }

    const pki = state.pki;
    await record(startProcess({
      name: 'kagg-serve',
      command: process.execPath,
      args: [KAGG_BIN, 'serve',
        '--secure-port', String(options.port), '--bind-address', HOST,
        '--tls-cert-file', join(pki, 'apiserver.crt'), '--tls-private-key-file', join(pki, 'apiserver.key'),
        '--client-ca-file', join(pki, 'ca.crt'),
        '--service-account-key-file', join(pki, 'sa.pub'), '--service-account-signing-key-file', join(pki, 'sa.key'),
        '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
        '--authorization-mode', 'RBAC', '--anonymous-auth=true',
        '--requestheader-client-ca-file', join(pki, 'front-proxy-ca.crt'),
        '--requestheader-allowed-names', 'front-proxy-client',
        '--requestheader-username-headers', 'X-Remote-User', '--requestheader-group-headers', 'X-Remote-Group',
        '--requestheader-extra-headers-prefix', 'X-Remote-Extra-',
        '--proxy-client-cert-file', join(pki, 'front-proxy-client.crt'), '--proxy-client-key-file', join(pki, 'front-proxy-client.key'),
        '--enable-aggregator-routing=true',
        '--cert-dir', pki, // the console's Certificates view
        ...storageFlags],
      logFile: join(state.logs, 'kagg.log'),
    }));
    const admin = createKubeClient(await loadKubeconfig(state.adminKubeconfig), { userAgent: 'kagg-up' });
    try {
      await waitFor('kagg to be ready', timeoutMs, processes, async () => (await admin.get('/readyz')).status === 200);
      log(`[kagg] serving on ${server} (log ${join(state.logs, 'kagg.log')})`);

      await record(startProcess({
        name: 'wardle',
        command: process.execPath,
        args: [KAGG_BIN, 'sample-apiserver',
          '--secure-port', String(wardlePort), '--bind-address', HOST,
          '--tls-cert-file', wardlePki.certFile, '--tls-private-key-file', wardlePki.keyFile,
          '--kubeconfig', state.wardleKubeconfig,
          '--storage', `sqlite:${join(state.data, 'wardle.db')}`],
        logFile: join(state.logs, 'wardle.log'),
      }));
      for (const file of WARDLE_MANIFESTS) {
        for (const object of await readManifests(file)) await applyObject(admin, object);
      }
      for (const [collection, object] of wardleRegistration({ port: wardlePort, caBundle: wardlePki.caPem }).ordered()) {
        await applyObject(admin, object as KubeObject, collection);
      }
      log(`[wardle] serving on https://${HOST}:${wardlePort}; APIServices ${WARDLE_VERSIONS.map((v) => `${v}.${WARDLE_GROUP}`).join(', ')} registered`);
      await waitFor('the wardle APIServices to become Available', timeoutMs, processes, () => allAvailable(admin));
      log('[aggregator] APIServices Available');
    } finally {
      admin.close();
    }
    await writeFile(state.readyMarker, `${new Date().toISOString()}\n`);
  } catch (err) {
    await stop();
    throw err;
  }

  const crashed = Promise.race(processes.map((p) => p.exited.then((status) => ({ name: p.name, status }))));
  return { state, server, processes, crashed, stop };
}

async function allAvailable(client: KubeClient): Promise<boolean> {
  for (const version of WARDLE_VERSIONS) {
    const svc = await getObject<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(client, `/apis/apiregistration.k8s.io/v1/apiservices/${version}.${WARDLE_GROUP}`);
    if (!svc?.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')) return false;
  }
  // kubectl apply validates against the OpenAPI v3 document of the group: wait for it too.
  const index = await getObject<{ paths?: Record<string, unknown> }>(client, '/openapi/v3');
  return WARDLE_VERSIONS.every((v) => index?.paths?.[`apis/${WARDLE_GROUP}/${v}`] !== undefined);
}

/** Polls `check` until true; fails early when a started process exits, naming its log. */
async function waitFor(what: string, timeoutMs: number, processes: Supervised[], check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    const dead = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}) while waiting for ${what}; see its log`);
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The sample server authenticates to kagg with a client certificate of its own identity. */
async function writeWardleKubeconfig(state: StateDir, server: string): Promise<void> {
  const ca = await loadClusterCa(state.pki);
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await signCertificate({
    ca, publicKey: key, subject: { CN: WARDLE_USER, O: ['system:serviceaccounts', `system:serviceaccounts:${WARDLE_SERVICE.namespace}`] },
    keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['clientAuth'], expiry: '8760h',
  });
  const text = buildKubeconfig({ server, caPem: ca.cert, clientCertPem: cert.pem, clientKeyPem: encodePrivateKeyPem(key), user: WARDLE_USER });
  await writeFileAtomic(state.wardleKubeconfig, text, { mode: 0o600 });
}

/** PIDs recorded by a previous `up` (for `down` after the foreground process died). */
export async function recordedPids(state: StateDir): Promise<Array<{ name: string; pid: number }>> {
  const text = await readFile(state.childPids, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => {
    const [name, pid] = line.split(' ');
    return { name, pid: Number(pid) };
  }).filter((e) => Number.isInteger(e.pid) && e.pid > 0);
}
