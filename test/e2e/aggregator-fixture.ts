// A real extension-server stand-in for the aggregator e2e tests: an HTTPS server on
// 127.0.0.1 that demands a client certificate from its own front-proxy CA, serves a small
// wardle.example.com/v1alpha1 API (discovery, list, watch, OpenAPI) and records every
// request's raw headers and the proxy certificate it saw. Plus the store objects
// (Service, EndpointSlice, APIService) that point the aggregator at it, and kagg wired
// with the aggregator in front of a stub core handler.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import { join } from 'node:path';
import { createSelfSignedCA, encodePrivateKeyPem, generateKey, signCertificate, type CertificateAuthority } from '../../src/pki/mod.ts';
import { objectKey } from '../../src/apiserver/registry/keys.ts';
import type { Store, StoredObject } from '../../src/storage/interface.ts';
import { createAggregator, type Aggregator, type AggregatorOptions } from '../../src/aggregator/mod.ts';
import { prepareForCreate } from '../../src/aggregator/apis/strategy.ts';
import { apiServiceResource } from '../../src/aggregator/apis/resource.ts';
import { createAPIHandler } from '../../src/apiserver/registry/mod.ts';
import type { APIService } from '../../src/aggregator/apis/types.ts';
import { startTestApiServer, type TestApiServer, type TestApiServerOptions } from '../support/apiserver.ts';

export const GROUP = 'wardle.example.com';
export const VERSION = 'v1alpha1';
export const SERVICE = { namespace: 'wardle', name: 'api' } as const;
export const SERVER_NAME = `${SERVICE.name}.${SERVICE.namespace}.svc`;

export interface Pem {
  cert: string;
  key: string;
}

export async function makeCA(cn: string): Promise<CertificateAuthority & { pem: string }> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await createSelfSignedCA({ key, subject: { CN: cn }, expiry: '24h' });
  return { cert: cert.pem, key, pem: cert.pem };
}

export async function makeLeaf(ca: CertificateAuthority, cn: string, usage: 'client' | 'server', dns: string[] = []): Promise<Pem> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await signCertificate({ ca, publicKey: key, subject: { CN: cn }, sans: dns.length ? { dns } : undefined, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: [usage === 'client' ? 'clientAuth' : 'serverAuth'], expiry: '24h' });
  return { cert: cert.pem, key: encodePrivateKeyPem(key, 'pkcs8') };
}

export interface FrontProxyPki {
  ca: CertificateAuthority & { pem: string };
  client: Pem;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** kagg serve flags for it: --requestheader-client-ca-file and --proxy-client-{cert,key}-file. */
  serveArgs: string[];
}

/** A front-proxy CA and client certificate written into `dir` (proxy-ca.crt, proxy.crt, proxy.key). */
export async function writeFrontProxyPki(dir: string): Promise<FrontProxyPki> {
  const ca = await makeCA('front-proxy-ca');
  const client = await makeLeaf(ca, 'front-proxy-client', 'client');
  const caFile = join(dir, 'proxy-ca.crt');
  const certFile = join(dir, 'proxy.crt');
  const keyFile = join(dir, 'proxy.key');
  await writeFile(caFile, ca.pem);
  await writeFile(certFile, client.cert);
  await writeFile(keyFile, client.key, { mode: 0o600 });
  return { ca, client, caFile, certFile, keyFile, serveArgs: [`--requestheader-client-ca-file=${caFile}`, `--proxy-client-cert-file=${certFile}`, `--proxy-client-key-file=${keyFile}`] };
}

/** Replaces a cert/key pair on disk the way kubeadm/cert-manager do: write aside, rename. */
export async function replacePair(certFile: string, keyFile: string, pair: Pem): Promise<void> {
  await writeFile(`${keyFile}.tmp`, pair.key, { mode: 0o600 });
  await writeFile(`${certFile}.tmp`, pair.cert);
  await rename(`${keyFile}.tmp`, keyFile);
  await rename(`${certFile}.tmp`, certFile);
}

export interface Recorded {
  method: string;
  path: string;
  rawHeaders: string[];
  peerCN: string;
  peerFingerprint: string;
}

export interface Backend {
  port: number;
  requests: Recorded[];
  /** Watches whose client went away before the backend ended them. */
  watchesAborted(): number;
  /** Header values of every line named `name` (case-insensitive), in order. */
  headerLines(r: Recorded, name: string): string[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

const RESOURCES = [{ name: 'flunders', singularName: 'flunder', namespaced: true, kind: 'Flunder', verbs: ['create', 'delete', 'get', 'list', 'watch'] }];

function route(req: IncomingMessage, res: ServerResponse, onWatchAborted: () => void, v2Only: boolean): void {
  const url = new URL(req.url ?? '/', 'https://backend.invalid');
  const json = (code: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const p = url.pathname;
  if (p === '/apis' && String(req.headers.accept).includes('g=apidiscovery.k8s.io')) {
    return json(200, {
      kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {},
      items: [{ metadata: { name: GROUP }, versions: [{ version: VERSION, resources: [{ resource: 'flunders', responseKind: { group: GROUP, version: VERSION, kind: 'Flunder' }, scope: 'Namespaced', singularResource: 'flunder', verbs: RESOURCES[0].verbs }] }] }],
    }, { 'content-type': 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', etag: '"backend-etag-1"' });
  }
  if (p === `/apis/${GROUP}/${VERSION}`) return json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${GROUP}/${VERSION}`, resources: RESOURCES });
  if (p === `/apis/${GROUP}/${VERSION}/namespaces/default/flunders` && req.method === 'POST') {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      hash.update(c);
    });
    req.on('end', () => json(201, { size, sha256: hash.digest('hex'), contentType: req.headers['content-type'] }));
    return;
  }
  if (p === `/apis/${GROUP}/${VERSION}/namespaces/default/flunders`) {
    if (url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json' });
      let n = 0;
      const t = setInterval(() => {
        n++;
        res.write(`${JSON.stringify({ type: 'ADDED', object: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Flunder', metadata: { name: `f${n}`, namespace: 'default', resourceVersion: String(n) } } })}\n`);
        if (n >= 50) {
          clearInterval(t);
          res.end();
        }
      }, 100);
      res.on('close', () => {
        clearInterval(t);
        if (!res.writableFinished) onWatchAborted();
      });
      return;
    }
    return json(200, { kind: 'FlunderList', apiVersion: `${GROUP}/${VERSION}`, metadata: { resourceVersion: '1' }, items: [] });
  }
  if (p === `/apis/${GROUP}/${VERSION}/redirect`) {
    res.writeHead(302, { location: '/elsewhere' });
    return void res.end();
  }
  if (p === '/openapi/v2') {
    return json(200, { swagger: '2.0', info: { title: 'wardle', version: 'v0' }, paths: { [`/apis/${GROUP}/${VERSION}/namespaces/{namespace}/flunders`]: { get: { responses: { 200: { schema: { $ref: '#/definitions/Flunder' } } } } }, '/apis/other/v1/x': {} }, definitions: { Flunder: { type: 'object' } } }, { etag: '"v2-1"' });
  }
  if (p === '/openapi/v3' && !v2Only) return json(200, { paths: { [`apis/${GROUP}/${VERSION}`]: { serverRelativeURL: `/openapi/v3/apis/${GROUP}/${VERSION}?hash=ABC` } } });
  if (p === `/openapi/v3/apis/${GROUP}/${VERSION}`) return json(200, { openapi: '3.0.0', paths: {} }, { etag: '"ABC"' });
  json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
}

/** Starts the backend with a serving cert for `api.wardle.svc` trusting `clientCA`. */
export async function startBackend(opts: { serving: Pem; clientCA: string; port?: number; v2Only?: boolean }): Promise<Backend> {
  const requests: Recorded[] = [];
  let aborted = 0;
  let server: Server | undefined;
  let port = opts.port ?? 0;
  const sockets = new Set<TLSSocket>();
  async function start(): Promise<void> {
    const s = createServer({ cert: opts.serving.cert, key: opts.serving.key, ca: opts.clientCA, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      requests.push({ method: req.method ?? '', path: req.url ?? '', rawHeaders: [...req.rawHeaders], peerCN: String(peer.subject?.CN ?? ''), peerFingerprint: peer.fingerprint256 ?? '' });
      route(req, res, () => aborted++, opts.v2Only === true);
    });
    // WebSocket echo for upgrade tests: the first message reports the identity seen.
    const wss = new WebSocketServer({ noServer: true });
    s.on('upgrade', (req, socket, head) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      requests.push({ method: req.method ?? '', path: req.url ?? '', rawHeaders: [...req.rawHeaders], peerCN: String(peer.subject?.CN ?? ''), peerFingerprint: peer.fingerprint256 ?? '' });
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(JSON.stringify({ user: req.headersDistinct['x-remote-user'] ?? [], groups: req.headersDistinct['x-remote-group'] ?? [], protocol: req.headers['sec-websocket-protocol'] ?? '' }));
        ws.on('message', (m, binary) => ws.send(m, { binary }));
      });
    });
    s.on('secureConnection', (c) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  }
  await start();
  return {
    get port() {
      return port;
    },
    requests,
    watchesAborted: () => aborted,
    headerLines(r, name) {
      const out: string[] = [];
      for (let i = 0; i < r.rawHeaders.length; i += 2) if (r.rawHeaders[i].toLowerCase() === name.toLowerCase()) out.push(r.rawHeaders[i + 1]);
      return out;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const c of sockets) c.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start,
  };
}

/** Writes a Service + EndpointSlice for the backend on 127.0.0.1 straight into the store. */
export async function registerService(store: Store, port: number, name: string = SERVICE.name): Promise<void> {
  const svc: StoredObject = { apiVersion: 'v1', kind: 'Service', metadata: { namespace: SERVICE.namespace, name, uid: `svc-${name}` }, spec: { type: 'ClusterIP', clusterIP: '127.0.0.1', ports: [{ name: 'https', port, targetPort: port, protocol: 'TCP' }] } };
  const slice: StoredObject = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: SERVICE.namespace, name: `${name}-abc`, uid: `slice-${name}`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
  await store.create(objectKey('/registry', { group: '', resource: 'services' }, SERVICE.namespace, name), svc);
  await store.create(objectKey('/registry', { group: 'discovery.k8s.io', resource: 'endpointslices' }, SERVICE.namespace, `${name}-abc`), slice);
}

export function apiService(version: string, group: string, gpm: number, vp: number, service?: { name: string; port: number; caBundle?: string }): APIService {
  return {
    apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
    metadata: { name: `${version}.${group}`, uid: `uid-${version}.${group}`, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
    spec: { group, version, groupPriorityMinimum: gpm, versionPriority: vp, ...(service ? { service: { namespace: SERVICE.namespace, name: service.name, port: service.port }, caBundle: service.caBundle } : {}) },
  };
}

export async function createAPIService(store: Store, svc: APIService): Promise<void> {
  await store.create(objectKey('/registry', { group: 'apiregistration.k8s.io', resource: 'apiservices' }, '', svc.metadata.name ?? ''), prepareForCreate(svc) as unknown as StoredObject);
}

export async function readAPIService(store: Store, name: string): Promise<APIService> {
  return (await store.get(objectKey('/registry', { group: 'apiregistration.k8s.io', resource: 'apiservices' }, '', name))) as unknown as APIService;
}

/** Polls `check` every 50 ms until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface Stack {
  server: TestApiServer;
  aggregator: Aggregator;
  store: Store;
  stop(): Promise<void>;
}

/**
 * kagg with the aggregator in front of the core API handler: the generic registry serving
 * APIService too (`registry: true`), or a stub that answers 404 to everything.
 */
export async function startStack(dir: string, aggOptions: Partial<AggregatorOptions>, serverOptions: TestApiServerOptions = {}, mode: { registry?: boolean } = {}): Promise<Stack> {
  const abort = new AbortController();
  let aggregator: Aggregator | undefined;
  let store: Store | undefined;
  const stubLocal: AggregatorOptions['local'] = (_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 }));
  };
  const server = await startTestApiServer({
    authorizationMode: 'AlwaysAllow',
    ...serverOptions,
    createApi: (o) => {
      store = o.store;
      const api = mode.registry ? createAPIHandler({ ...o, extraResources: [apiServiceResource()] }) : undefined;
      const agg = createAggregator({ store: o.store, etcdPrefix: o.etcdPrefix, local: api?.handler ?? stubLocal, availabilityResyncMs: 500, certCheckIntervalMs: 500, ...aggOptions });
      aggregator = agg;
      return {
        handler: agg.handler,
        bootstrap: async () => {
          await api?.bootstrap();
          await agg.start(abort.signal);
        },
      };
    },
  });
  void dir;
  return {
    server,
    aggregator: aggregator!,
    store: store!,
    async stop() {
      abort.abort();
      await server.close();
    },
  };
}

export const fixturePath = (dir: string, name: string) => join(dir, name);
