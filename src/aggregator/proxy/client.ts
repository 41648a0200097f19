// One request to a backend through a snapshot's transport. The proxy streams with it; the
// availability probe, the discovery fetch and OpenAPI downloads call `callBackend`, so all
// share TLS, header and resolution behaviour (spec 10.7).
import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import type { UserInfo } from '../../apiserver/authn/user.ts';
import { goNetError } from './go-errors.ts';
import { remoteIdentityHeaders } from './headers.ts';
import { hostPort, type ResolvedAddress } from './resolve.ts';
import type { RouteSnapshot } from './snapshot.ts';

export interface DispatchOptions {
  method: string;
  /** Path and query. */
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Readable;
  signal?: AbortSignal;
}

/** Sends one request to `addr` with the snapshot's agent; rejects with the raw undici error. */
export function dispatch(snap: RouteSnapshot, addr: ResolvedAddress, opts: DispatchOptions): Promise<Dispatcher.ResponseData> {
  if (snap.transport instanceof Error) return Promise.reject(snap.transport);
  return request(`https://${hostPort(addr)}${opts.path}`, {
    dispatcher: snap.transport.agent,
    method: opts.method as Dispatcher.HttpMethod,
    headers: headerPairs(opts.headers),
    body: opts.body,
    signal: opts.signal,
  });
}

/** Flat `[name, value, ...]` pairs, one pair per value, as undici's dispatch takes them. */
export function headerPairs(h: OutgoingHttpHeaders): string[] {
  const out: string[] = [];
  for (const name in h) {
    const v = h[name];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const one of v) out.push(name, String(one));
    else out.push(name, String(v));
  }
  return out;
}

/** Streams one request to `addr` with the snapshot's agent into a dispatch handler (the proxy's path). */
export function dispatchTo(snap: RouteSnapshot, addr: ResolvedAddress, opts: Omit<DispatchOptions, 'signal'>, handler: Dispatcher.DispatchHandler): void {
  if (snap.transport instanceof Error) {
    handler.onError?.(snap.transport);
    return;
  }
  snap.transport.agent.dispatch({ origin: `https://${hostPort(addr)}`, method: opts.method as Dispatcher.HttpMethod, path: opts.path, headers: headerPairs(opts.headers), body: opts.body }, handler);
}

export interface BackendResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class BackendCallError extends Error {
  override readonly name = 'BackendCallError';
  constructor(
    message: string,
    readonly url: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface CallOptions {
  path: string;
  user?: UserInfo;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Answer 503 `service unavailable` like the proxy when the APIService is not available. */
  honorAvailability?: boolean;
}

/** A buffered GET for internal callers; transport errors become BackendCallError with Go text. */
export async function callBackend(snap: RouteSnapshot, opts: CallOptions): Promise<BackendResponse> {
  if (opts.honorAvailability && !snap.available) return { status: 503, headers: {}, body: Buffer.from('service unavailable\n') };
  const addr = snap.resolve();
  const url = `https://${hostPort(addr)}${opts.path}`;
  const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  const headers: OutgoingHttpHeaders = { ...(opts.user ? remoteIdentityHeaders(opts.user) : {}), ...opts.headers };
  try {
    const r = await dispatch(snap, addr, { method: 'GET', path: opts.path, headers, signal: AbortSignal.any(signals) });
    const body = Buffer.from(await r.body.arrayBuffer());
    return { status: r.statusCode, headers: r.headers, body };
  } catch (err) {
    throw new BackendCallError(goNetError(err, hostPort(addr), snap.serverName), url, { cause: err });
  }
}
