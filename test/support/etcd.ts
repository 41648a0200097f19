// A real etcd for tests: started on free loopback ports in a temp dir, with TLS client
// certificates from the project's own PKI (src/pki) or plain HTTP, and stopped by PID.
//
//   const etcd = await startEtcd();                     // TLS, client cert required
//   t.after(() => etcd.cleanup());
//   createStore({ type: 'etcd', endpoints: etcd.endpoints, tls: etcd.clientTls });
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey, signCertificate } from '../../src/pki/mod.ts';

export interface EtcdClientTls {
  /** PEM contents, as EtcdStoreOptions.tls wants them. */
  ca: string;
  cert: string;
  key: string;
  /** The same on disk (--etcd-cafile / --etcd-certfile / --etcd-keyfile). */
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface StartEtcdOptions {
  /** Serve clients over TLS with client-cert auth. Default true. */
  tls?: boolean;
  /** --experimental-watch-progress-notify-interval in ms. Default 1000. */
  progressNotifyIntervalMs?: number;
  /** How long to wait for etcd to answer. Default 20 s. */
  readyTimeoutMs?: number;
}

export interface EtcdServer {
  /** e.g. ['https://127.0.0.1:40123']. */
  readonly endpoints: string[];
  /** Client credentials signed by the test etcd CA (undefined for plain HTTP). */
  readonly clientTls: EtcdClientTls | undefined;
  readonly dir: string;
  /** PID of the running etcd, undefined while stopped. */
  readonly pid: number | undefined;
  /** Starts etcd again on the same ports and data (after stop/kill). */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL; resolves when the process has exited. */
  kill(): Promise<void>;
  /** Stops etcd and removes the temp dir. Safe to call twice. */
  cleanup(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function makeCerts(dir: string): Promise<{ server: { cert: string; key: string }; client: EtcdClientTls }> {
  const spec = { algo: 'ecdsa', size: 256 } as const;
  const caKey = await generateKey(spec);
  const ca = await createSelfSignedCA({ key: caKey, subject: { CN: 'etcd-ca' }, isCA: true, keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'], expiry: '24h' });
  const issue = async (cn: string, extKeyUsage: string[], sans?: { dns: string[]; ip: string[] }) => {
    const key = await generateKey(spec);
    const cert = await signCertificate({
      ca: { cert: ca.pem, key: caKey },
      publicKey: key,
      subject: { CN: cn },
      sans,
      keyUsage: ['digitalSignature'],
      extKeyUsage,
      expiry: '24h',
    });
    return { cert: cert.pem, key: encodePrivateKeyPem(key) };
  };
  const server = await issue('127.0.0.1', ['serverAuth', 'clientAuth'], { dns: ['localhost'], ip: ['127.0.0.1'] });
  const client = await issue('kube-apiserver-etcd-client', ['clientAuth']);
  const files = { ca: join(dir, 'ca.crt'), serverCert: join(dir, 'server.crt'), serverKey: join(dir, 'server.key'), cert: join(dir, 'client.crt'), key: join(dir, 'client.key') };
  writeFileSync(files.ca, ca.pem);
  writeFileSync(files.serverCert, server.cert);
  writeFileSync(files.serverKey, server.key, { mode: 0o600 });
  writeFileSync(files.cert, client.cert);
  writeFileSync(files.key, client.key, { mode: 0o600 });
  return {
    server: { cert: files.serverCert, key: files.serverKey },
    client: { ca: ca.pem, cert: client.cert, key: client.key, caFile: files.ca, certFile: files.cert, keyFile: files.key },
  };
}

/**
 * If the test process dies without cleaning up (killed on a timeout), its etcd must not
 * outlive it: a small watchdog kills that etcd PID (and removes its temp dir) once the
 * parent is gone, and a process 'exit' hook kills it on a normal exit.
 */
function reapWithParent(pid: number, dir: string): void {
  const parent = process.pid;
  const script = `while kill -0 ${parent} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; kill -0 ${parent} 2>/dev/null || { kill -9 ${pid} 2>/dev/null; sleep 1; rm -rf '${dir}'; }; exit 0`;
  spawn('sh', ['-c', script], { stdio: 'ignore', detached: true }).unref();
  const onExit = (): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', onExit);
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  const tls = options.tls ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'kagg-etcd-'));
  let proc: ChildProcess | undefined;
  let log = '';
  try {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const scheme = tls ? 'https' : 'http';
    const clientUrl = `${scheme}://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const certs = tls ? await makeCerts(dir) : undefined;
    const args = [
      '--name', 'test',
      '--data-dir', join(dir, 'data'),
      '--listen-client-urls', clientUrl,
      '--advertise-client-urls', clientUrl,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `test=${peerUrl}`,
      '--experimental-watch-progress-notify-interval', `${options.progressNotifyIntervalMs ?? 1000}ms`,
      '--logger', 'zap',
      '--log-outputs', 'stderr',
      ...(certs
        ? ['--cert-file', certs.server.cert, '--key-file', certs.server.key, '--client-cert-auth', '--trusted-ca-file', certs.client.caFile]
        : []),
    ];
    const agent = new Agent({
      connect: certs ? { ca: certs.client.ca, cert: certs.client.cert, key: certs.client.key, timeout: 1000 } : { timeout: 1000 },
    });

    const waitReady = async (): Promise<void> => {
      const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
      let last: unknown;
      while (Date.now() < deadline) {
        if (!proc || proc.exitCode !== null) throw new Error(`etcd exited (${proc?.exitCode}): ${log.slice(-2000)}`);
        try {
          const res = await request(`${clientUrl}/v3/maintenance/status`, { method: 'POST', body: '{}', dispatcher: agent, headersTimeout: 1000, bodyTimeout: 1000 });
          const body = await res.body.text();
          if (res.statusCode === 200) return;
          last = `${res.statusCode} ${body}`;
        } catch (err) {
          last = err;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`etcd did not become ready: ${String(last)}\n${log.slice(-2000)}`);
    };

    const start = async (): Promise<void> => {
      if (proc && proc.exitCode === null && proc.signalCode === null) return;
      log = '';
      proc = spawn('etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      proc.stderr?.on('data', (c: Buffer) => {
        log = (log + c.toString()).slice(-20_000);
      });
      if (proc.pid !== undefined) reapWithParent(proc.pid, dir);
      await waitReady();
    };
    const signal = async (sig: NodeJS.Signals): Promise<void> => {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      p.kill(sig);
      const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
      await exited(p);
      clearTimeout(timer);
    };
    let cleaned = false;
    await start();
    return {
      endpoints: [clientUrl],
      clientTls: certs?.client,
      dir,
      get pid() {
        return proc && proc.exitCode === null && proc.signalCode === null ? proc.pid : undefined;
      },
      start,
      stop: () => signal('SIGTERM'),
      kill: () => signal('SIGKILL'),
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        await signal('SIGTERM');
        await agent.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGKILL');
      await exited(proc);
    }
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
