// The proxy handler of one APIService (kube-aggregator pkg/apiserver/handler_proxy.go,
// spec 2.3, 2.9, 2.10). It never probes: it reads the snapshot the controllers built.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../../apiserver/request/context.ts';
import { cancellationOf, urlOf, userOf } from '../../apiserver/request/context.ts';
import { dispatchTo } from './client.ts';
import { goNetError } from './go-errors.ts';
import { normalizeQuery, upstreamHeaders } from './headers.ts';
import { PROXY_MESSAGES, writePlain } from './plain-error.ts';
import { ResponseRelay } from './relay.ts';
import { hostPort, type ResolvedAddress } from './resolve.ts';
import type { RouteSnapshot } from './snapshot.ts';
import { isUpgradeRequest, proxyUpgrade } from './upgrade.ts';

export interface ProxyOptions {
  /** The delegate for Local APIServices (no second authn/authz). */
  local: Handler;
  /** --aggregator-reject-forwarding-redirect (default true). */
  rejectForwardingRedirect?: boolean;
  /** Custom --requestheader-* names to strip in addition to the standard ones. */
  stripHeaders?: readonly string[];
  /** Reads the audit ID the chain assigned, if any. */
  auditIdOf?: (req: IncomingMessage, res: ServerResponse) => string | undefined;
  log?: (msg: string, err?: unknown) => void;
}

const DISCOVERY_TIMEOUT_MS = 5_000;

/** The Audit-Id the chain put on the response, if any (spec 2.4.9). */
function auditIdHeader(res: ServerResponse): string | undefined {
  const v = res.getHeader('audit-id');
  return typeof v === 'string' ? v : undefined;
}

function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

/** `/apis/<g>/<v>` (exactly three segments): version discovery, 5 s deadline (spec 2.9). */
function isVersionDiscovery(pathname: string): boolean {
  return pathname.split('/').filter(Boolean).length === 3;
}

export async function proxyRequest(req: IncomingMessage, res: ServerResponse, snap: RouteSnapshot, opts: ProxyOptions): Promise<void> {
  if (snap.local) return opts.local(req, res);
  if (!snap.available) return writePlain(res, 503, PROXY_MESSAGES.serviceUnavailable);
  if (snap.transport instanceof Error) return writePlain(res, 500, snap.transport.message);
  const user = userOf(req);
  if (!user) return writePlain(res, 500, PROXY_MESSAGES.missingUser);
  let addr: ResolvedAddress;
  try {
    addr = snap.resolve();
  } catch (err) {
    opts.log?.(`unable to resolve service for APIService ${snap.name}`, err);
    return writePlain(res, 503, PROXY_MESSAGES.serviceUnavailable);
  }
  const url = urlOf(req);
  const path = url.search ? `${url.pathname}${normalizeQuery(url.search)}` : url.pathname;
  const upgrade = isUpgradeRequest(req);
  const headers = upstreamHeaders(req, {
    user,
    upgrade,
    host: hostPort(addr),
    path: url.pathname,
    clientIp: req.socket.remoteAddress,
    auditId: opts.auditIdOf ? opts.auditIdOf(req, res) : auditIdHeader(res),
    strip: opts.stripHeaders,
  });
  if (upgrade) return proxyUpgrade(req, res, snap, addr, { path, headers });

  const relay = new ResponseRelay(res, opts.rejectForwardingRedirect ?? true, {
    onRedirect: () => writePlain(res, 502, PROXY_MESSAGES.redirect),
    onFailure: (err) => {
      // Client gone, or the chain's deadline fired (its timeout filter answers).
      if (clientGone || cancel?.aborted) return;
      writePlain(res, 503, PROXY_MESSAGES.reachService(goNetError(err, hostPort(addr), snap.serverName)));
    },
    onBroken: (err) => {
      if (!clientGone) opts.log?.(`proxying ${snap.name} response failed`, err);
    },
    onDone: () => {
      res.off('close', onClose);
      offDeadline?.();
      if (discoveryTimer) clearTimeout(discoveryTimer);
      settle();
    },
  });
  let clientGone = false;
  const onClose = () => {
    if (res.writableFinished) return;
    clientGone = true;
    relay.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  const cancel = cancellationOf(req);
  const offDeadline = cancel?.onAbort(() => relay.abort(new Error('request timed out')));
  const discoveryTimer = isVersionDiscovery(url.pathname) ? setTimeout(() => relay.abort(new Error('context deadline exceeded')), DISCOVERY_TIMEOUT_MS) : undefined;
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  dispatchTo(snap, addr, { method: req.method ?? 'GET', path, headers, body: hasBody(req) ? req : undefined }, relay);
  await done;
}
