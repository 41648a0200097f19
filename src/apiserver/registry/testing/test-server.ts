// A plain-HTTP server on 127.0.0.1:0 around the API handler, with a fixed admin user and
// a local /version (the real chain serves it), for handler tests and the kubectl e2e tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStore } from '../../../storage/mod.ts';
import type { Store } from '../../../storage/interface.ts';
import { withUser } from '../../request/context.ts';
import { createAPIHandler, type APIHandler, type APIHandlerOptions } from '../mod.ts';

export const TEST_ADMIN = { name: 'admin', uid: 'admin-uid', groups: ['system:masters', 'system:authenticated'], extra: {} };

export const TEST_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-kagg.test',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-28T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface TestServer {
  url: string;
  api: APIHandler;
  store: Store;
  server: Server;
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<APIHandlerOptions> = {}): Promise<TestServer> {
  const store = options.store ?? (await createStore({ type: 'memory' }));
  const api = createAPIHandler({ ...options, store });
  await api.bootstrap();
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === '/version') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(TEST_VERSION));
      return;
    }
    withUser(req, { user: TEST_ADMIN });
    void api.handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    store,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
