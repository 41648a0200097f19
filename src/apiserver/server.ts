// The TLS listener and the handler chain. `buildHandlerChain` is the only place the filter
// order is set (k8s.io/apiserver DefaultBuildHandlerChain):
//   panic recovery → request info → metrics → authentication → impersonation →
//   authorization → max body size → timeout → route
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAuthenticator } from './authn/union.ts';
import type { RequestHeaderConfig } from './authn/request-header.ts';
import type { Authorizer } from './authz/authorizer.ts';
import { withAuthentication } from './filters/authentication.ts';
import { withAuthorization } from './filters/authorization.ts';
import { isHealthPath, serveHealth, type HealthChecks } from './filters/health-routes.ts';
import { withImpersonation } from './filters/impersonation.ts';
import { withMaxBodySize } from './filters/max-body.ts';
import { withMetrics } from './filters/metrics.ts';
import { withPanicRecovery } from './filters/panic.ts';
import { withRequestInfo } from './filters/request-info.ts';
import { withTimeout } from './filters/timeout.ts';
import { serveVersion, VERSION_PATHS } from './filters/version-route.ts';
import type { ApiMetrics } from './metrics.ts';
import { urlOf, type Handler } from './request/context.ts';

export type { Handler };

export interface ChainDeps {
  authenticate: RequestAuthenticator;
  authorize: Authorizer;
  /** Configured front-proxy header names, stripped after authentication. */
  requestHeader?: Partial<Pick<RequestHeaderConfig, 'usernameHeaders' | 'uidHeaders' | 'groupHeaders' | 'extraHeaderPrefixes'>>;
  maxBodyBytes?: number;
  requestTimeoutMs?: number;
  metrics?: ApiMetrics;
  onAuthenticationFailure?: (err: Error) => void;
}

export function buildHandlerChain(route: Handler, deps: ChainDeps): Handler {
  let h = route;
  h = withTimeout(h, { timeoutMs: deps.requestTimeoutMs });
  h = withMaxBodySize(h, { limit: deps.maxBodyBytes });
  h = withAuthorization(h, { authorize: deps.authorize });
  h = withImpersonation(h, { authorize: deps.authorize });
  h = withAuthentication(h, { authenticate: deps.authenticate, requestHeader: deps.requestHeader, onFailure: deps.onAuthenticationFailure });
  if (deps.metrics) h = withMetrics(h, { metrics: deps.metrics });
  h = withRequestInfo(h);
  return withPanicRecovery(h);
}

export interface NonResourceRoutes {
  health: HealthChecks;
  metrics?: ApiMetrics;
  /** Everything else: the API (registry, later the aggregator). */
  api: Handler;
  log?: (line: string) => void;
}

/** /healthz, /livez, /readyz, /version, /metrics, then the API. Runs after authorization. */
export function createRoutes(routes: NonResourceRoutes): Handler {
  return function route(req: IncomingMessage, res: ServerResponse) {
    const path = urlOf(req).pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') {
      if (VERSION_PATHS.has(path)) return serveVersion(res);
      if (path === '/metrics' && routes.metrics) return routes.metrics.handle(req, res);
      if (isHealthPath(path)) return healthOrApi(req, res);
    }
    return routes.api(req, res);
  };

  async function healthOrApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await serveHealth(req, res, routes.health, { log: routes.log })) return;
    await routes.api(req, res);
  }
}

export interface TlsMaterial {
  cert: string | Buffer;
  key: string | Buffer;
  /**
   * CA certificates advertised in the CertificateRequest: the union of --client-ca-file and
   * --requestheader-client-ca-file. Verification happens per pool in the authenticators
   * (aggregation.md §10.3), never through `socket.authorized`.
   */
  clientCAs?: (string | Buffer)[];
}

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls: TlsMaterial;
  signal?: AbortSignal;
}

export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  /** `https://host:port` (IPv6 hosts bracketed). */
  url: string;
  close(): Promise<void>;
}

export async function listen(handler: Handler, options: ListenOptions): Promise<RunningServer> {
  const clientCAs = options.tls.clientCAs?.filter((c) => c.length > 0) ?? [];
  const server = createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      requestCert: true,
      rejectUnauthorized: false,
      ...(clientCAs.length > 0 ? { ca: clientCAs } : {}),
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      Promise.resolve(handler(req, res)).catch((err) => {
        // withPanicRecovery answers every error; reaching here means writing itself failed.
        process.stderr.write(`kagg: request failed after the response started: ${err instanceof Error ? err.message : String(err)}\n`);
        res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return { server, host: addr.address, port: addr.port, url: `https://${host}:${addr.port}`, close };
}
