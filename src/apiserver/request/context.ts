// Per-request values, set by the filters and read through typed accessors
// (k8s.io/apiserver pkg/endpoints/request/context.go). Never `(req as any).user`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthResult } from '../authn/authenticator.ts';
import type { UserInfo } from '../authn/user.ts';
import type { Cancellation } from './cancellation.ts';
import type { RequestInfo } from './request-info.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

interface RequestContext {
  info?: RequestInfo;
  user?: UserInfo;
  /** The user before impersonation, when impersonating. */
  originalUser?: UserInfo;
  audiences?: string[];
  /** Aborted when the request times out or the client goes away. */
  cancel?: Cancellation;
  url?: URL;
  startedAt?: bigint;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

function contextOf(req: IncomingMessage): RequestContext {
  let ctx = contexts.get(req);
  if (!ctx) {
    ctx = {};
    contexts.set(req, ctx);
  }
  return ctx;
}

export function withRequestInfo(req: IncomingMessage, info: RequestInfo): void {
  contextOf(req).info = info;
}

export function requestInfoOf(req: IncomingMessage): RequestInfo | undefined {
  return contexts.get(req)?.info;
}

export function withUser(req: IncomingMessage, result: AuthResult): void {
  const ctx = contextOf(req);
  ctx.user = result.user;
  ctx.audiences = result.audiences;
}

export function userOf(req: IncomingMessage): UserInfo | undefined {
  return contexts.get(req)?.user;
}

export function audiencesOf(req: IncomingMessage): string[] | undefined {
  return contexts.get(req)?.audiences;
}

export function withImpersonation(req: IncomingMessage, user: UserInfo): void {
  const ctx = contextOf(req);
  ctx.originalUser = ctx.user;
  ctx.user = user;
}

export function originalUserOf(req: IncomingMessage): UserInfo | undefined {
  return contexts.get(req)?.originalUser;
}

export function withCancellation(req: IncomingMessage, cancel: Cancellation): void {
  contextOf(req).cancel = cancel;
}

export function cancellationOf(req: IncomingMessage): Cancellation | undefined {
  return contexts.get(req)?.cancel;
}

/** The request's AbortSignal (made on first use). */
export function signalOf(req: IncomingMessage): AbortSignal | undefined {
  return contexts.get(req)?.cancel?.signal;
}

/** The parsed request URL (path and query), computed once. */
export function urlOf(req: IncomingMessage): URL {
  const ctx = contextOf(req);
  ctx.url ??= new URL(req.url ?? '/', 'https://kagg.invalid');
  return ctx.url;
}
