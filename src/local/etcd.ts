// `kagg up --storage etcd`: a real etcd (Debian etcd-server) on loopback with TLS from the
// tree's etcd certificates (etcd/server, etcd/peer, etcd/ca), and the flags that point
// kagg serve at it with apiserver-etcd-client.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import type { StateDir } from './state-dir.ts';
import { startProcess, type Supervised } from './supervisor.ts';

export interface LocalEtcd {
  endpoint: string;
  process: Supervised;
  serveFlags: string[];
}

export async function startEtcd(options: { state: StateDir; host: string; timeoutMs: number }): Promise<LocalEtcd> {
  if (spawnSync('sh', ['-c', 'command -v etcd'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('--storage etcd needs etcd on PATH (Debian: apt-get install etcd-server); or use the default --storage sqlite');
  }
  const { state, host } = options;
  const [clientPort, peerPort] = [await freePort(host), await freePort(host)];
  const pki = state.pki;
  const endpoint = `https://${host}:${clientPort}`;
  const process_ = startProcess({
    name: 'etcd',
    command: 'etcd',
    args: [
      '--name', 'kagg', '--data-dir', join(state.data, 'etcd'),
      '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `https://${host}:${peerPort}`, '--initial-advertise-peer-urls', `https://${host}:${peerPort}`,
      '--initial-cluster', `kagg=https://${host}:${peerPort}`,
      '--cert-file', join(pki, 'etcd/server.crt'), '--key-file', join(pki, 'etcd/server.key'),
      '--client-cert-auth', '--trusted-ca-file', join(pki, 'etcd/ca.crt'),
      '--peer-cert-file', join(pki, 'etcd/peer.crt'), '--peer-key-file', join(pki, 'etcd/peer.key'),
      '--peer-client-cert-auth', '--peer-trusted-ca-file', join(pki, 'etcd/ca.crt'),
    ],
    logFile: join(state.logs, 'etcd.log'),
  });
  const deadline = Date.now() + options.timeoutMs;
  while (!(await tlsReachable(host, clientPort, pki))) {
    if (process_.child.exitCode !== null) throw new Error(`etcd exited (${process_.child.exitCode}); see ${join(state.logs, 'etcd.log')}`);
    if (Date.now() > deadline) throw new Error(`etcd did not start within ${options.timeoutMs / 1000}s; see ${join(state.logs, 'etcd.log')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    process: process_,
    serveFlags: [
      '--storage', 'etcd', '--etcd-servers', endpoint,
      '--etcd-cafile', join(pki, 'etcd/ca.crt'),
      '--etcd-certfile', join(pki, 'apiserver-etcd-client.crt'), '--etcd-keyfile', join(pki, 'apiserver-etcd-client.key'),
    ],
  };
}

function tlsReachable(host: string, port: number, pki: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({
      host, port, servername: 'localhost',
      ca: readFileSync(join(pki, 'etcd/ca.crt')),
      cert: readFileSync(join(pki, 'apiserver-etcd-client.crt')),
      key: readFileSync(join(pki, 'apiserver-etcd-client.key')),
    }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}
