// The proxy handler of one APIService (kube-aggregator pkg/apiserver/handler_proxy.go,
// spec 2.3, 2.9, 2.10). It never probes: it reads the snapshot the controllers built.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Handler } from '../../apiserver/request/context.ts';
import { signalOf, userOf } from '../../apiserver/request/context.ts';
import { dispatch } from './client.ts';
import { goNetError } from './go-errors.ts';
import { downstreamHeaders, normalizeQuery, upstreamHeaders } from './headers.ts';
import { PROXY_MESSAGES, writePlain } from './plain-error.ts';
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
  const url = new URL(req.url ?? '/', 'https://placeholder.invalid');
  const path = `${url.pathname}${normalizeQuery(url.search)}`;
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

  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  const signals = [abort.signal];
  const chainSignal = signalOf(req);
  if (chainSignal) signals.push(chainSignal);
  if (isVersionDiscovery(url.pathname)) signals.push(AbortSignal.timeout(DISCOVERY_TIMEOUT_MS));
  const signal = AbortSignal.any(signals);

  let upstream;
  try {
    upstream = await dispatch(snap, addr, { method: req.method ?? 'GET', path, headers, body: hasBody(req) ? req : undefined, signal });
  } catch (err) {
    res.off('close', onClose);
    // Client gone, or the chain's deadline fired (its timeout filter answers).
    if (abort.signal.aborted || chainSignal?.aborted) return;
    return writePlain(res, 503, PROXY_MESSAGES.reachService(goNetError(err, hostPort(addr), snap.serverName)));
  }
  const status = upstream.statusCode;
  if ((opts.rejectForwardingRedirect ?? true) && status >= 300 && status <= 399 && upstream.headers['location'] !== undefined) {
    upstream.body.dump().catch(() => {});
    res.off('close', onClose);
    return writePlain(res, 502, PROXY_MESSAGES.redirect);
  }
  res.writeHead(status, downstreamHeaders(upstream.headers));
  res.flushHeaders();
  try {
    // Each chunk is written as it arrives, so watch events reach the client at once.
    await pipeline(upstream.body, res);
  } catch (err) {
    if (!abort.signal.aborted) opts.log?.(`proxying ${snap.name} response failed`, err);
    res.destroy();
  } finally {
    res.off('close', onClose);
  }
}
