// The console's browser tests: kagg (registry + aggregator + console, RBAC) with a real
// backend behind it and a kubeadm cert tree with one certificate about to expire, and a
// headless Debian Chromium driven by playwright-core.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { authenticationInfoFrom, createAggregator } from '../../src/aggregator/mod.ts';
import { apiServiceResource } from '../../src/aggregator/apis/resource.ts';
import type { ApiHandlerFactory } from '../../src/apiserver/control-plane.ts';
import { createAPIHandler } from '../../src/apiserver/registry/mod.ts';
import { withConsole } from '../../src/console/handler.ts';
import { initCertTree, renewCertificates } from '../../src/pki/kubeadm/mod.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { apiService, createAPIService, makeCA, makeLeaf, registerService, SERVER_NAME, startBackend, GROUP, VERSION, type Backend } from './aggregator-fixture.ts';

export const DAY_MS = 86_400_000;
/** The certificate the fixture makes expire in 15 days. */
export const EXPIRING = 'front-proxy-client';
export const APISERVICE = `${VERSION}.${GROUP}`;
/** The re-check period in these tests (kagg serve: 30 s, as kube-aggregator). */
export const RESYNC_MS = 500;

/** kagg serve's API (registry, aggregator, console) with a short availability re-check. */
function consoleApi(proxy: { cert: string; key: string }): ApiHandlerFactory {
  return (ctx) => {
    const api = createAPIHandler({ store: ctx.store, etcdPrefix: ctx.etcdPrefix, actions: ctx.actions, admission: ctx.admission, extraResources: [apiServiceResource()] });
    const aggregator = createAggregator({
      store: ctx.store,
      etcdPrefix: ctx.etcdPrefix,
      local: api.handler,
      proxyClientCertFile: proxy.cert,
      proxyClientKeyFile: proxy.key,
      authentication: () => authenticationInfoFrom(ctx.authentication),
      availabilityResyncMs: RESYNC_MS,
    });
    return {
      handler: withConsole(aggregator.handler, { certDir: ctx.options.certDir }),
      async bootstrap() {
        await api.bootstrap();
        await aggregator.start(ctx.signal);
      },
      ready: () => aggregator.ready(),
    };
  };
}

export interface ConsoleStack {
  dir: string;
  certDir: string;
  server: TestApiServer;
  backend: Backend;
  close(): Promise<void>;
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-console-'));
  const closers: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const certDir = join(dir, 'pki');
    const now = new Date();
    await initCertTree({ certDir, now, nodeName: 'node1', advertiseAddress: '127.0.0.1', keyAlgorithm: 'ecdsa-p256', aggregatorCa: true });
    // Renewed as if 350 days ago: a one-year certificate with 15 days left.
    await renewCertificates(certDir, EXPIRING, { now: new Date(now.getTime() - 350 * DAY_MS) });

    const [proxyCA, servingCA] = await Promise.all([makeCA('front-proxy-ca'), makeCA('wardle-ca')]);
    const [proxyClient, serving] = await Promise.all([makeLeaf(proxyCA, 'front-proxy-client', 'client'), makeLeaf(servingCA, SERVER_NAME, 'server', [SERVER_NAME])]);
    const proxy = { cert: join(dir, 'proxy.crt'), key: join(dir, 'proxy.key') };
    await writeFile(proxy.cert, proxyClient.cert);
    await writeFile(proxy.key, proxyClient.key);
    const backend = await startBackend({ serving, clientCA: proxyCA.pem });
    closers.push(() => backend.stop());
    const server = await startTestApiServer({ args: [`--cert-dir=${certDir}`], createApi: consoleApi(proxy) });
    closers.push(() => server.close());
    const store = server.plane!.store;
    await registerService(store, backend.port);
    await createAPIService(store, apiService(VERSION, GROUP, 2000, 200, { name: 'api', port: backend.port, caBundle: Buffer.from(servingCA.pem).toString('base64') }));
    return { dir, certDir, server, backend, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Headless Debian Chromium with a fresh profile, as root without the sandbox, with no
 * background traffic. The test CA is not in the browser's store: certificate errors are
 * ignored for this loopback server only.
 */
export async function launchChromium(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    timeout: 30_000,
  });
}
