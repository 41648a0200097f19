// Delegated authorization (aggregation.md §6.5): a SubjectAccessReview POSTed to the core
// server, keyed by the JSON of its spec and cached 10 s when allowed and 10 s when not
// (upstream's defaults). A failed review has no opinion, so the request is forbidden.
import type { Attributes, Authorization, Authorizer } from '../apiserver/authz/authorizer.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { withRetry, type RetryOptions } from './retry.ts';
import { createTtlCache } from './ttl-cache.ts';

export const SUBJECT_ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
export const DEFAULT_AUTHORIZED_TTL_MS = 10_000;
export const DEFAULT_UNAUTHORIZED_TTL_MS = 10_000;

export interface SubjectAccessReviewOptions {
  client: Pick<KubeClient, 'request'>;
  allowedTtlMs?: number;
  deniedTtlMs?: number;
  now?: () => number;
  retry?: RetryOptions;
}

/** The SAR spec for one request. Pure. */
export function reviewSpec(a: Attributes): Record<string, unknown> {
  return {
    user: a.user.name,
    ...(a.user.uid ? { uid: a.user.uid } : {}),
    groups: [...a.user.groups],
    ...(Object.keys(a.user.extra).length > 0 ? { extra: a.user.extra } : {}),
    ...(a.isResourceRequest
      ? { resourceAttributes: { namespace: a.namespace, verb: a.verb, group: a.apiGroup, version: a.apiVersion, resource: a.resource, subresource: a.subresource, name: a.name } }
      : { nonResourceAttributes: { path: a.path, verb: a.verb } }),
  };
}

/** SubjectAccessReviewStatus → decision (webhook.go). Pure. */
export function decisionOf(status: Record<string, unknown>): Authorization {
  const reason = typeof status.reason === 'string' ? status.reason : '';
  const allowed = status.allowed === true;
  const denied = status.denied === true;
  if (allowed && denied) return { decision: 'deny', reason: reason || 'SubjectAccessReview has both allowed and denied set' };
  if (denied) return { decision: 'deny', reason };
  if (allowed) return { decision: 'allow', reason };
  const evaluationError = typeof status.evaluationError === 'string' ? status.evaluationError : '';
  return { decision: 'no-opinion', reason: reason || evaluationError };
}

export function createSubjectAccessReviewAuthorizer(options: SubjectAccessReviewOptions): Authorizer {
  const cache = createTtlCache<Authorization>({ now: options.now });
  const allowedTtl = options.allowedTtlMs ?? DEFAULT_AUTHORIZED_TTL_MS;
  const deniedTtl = options.deniedTtlMs ?? DEFAULT_UNAUTHORIZED_TTL_MS;
  return async function subjectAccessReview(attrs) {
    const spec = reviewSpec(attrs);
    const key = JSON.stringify(spec);
    const cached = cache.get(key);
    if (cached) return cached;
    let r;
    try {
      r = await withRetry(() => options.client.request('POST', SUBJECT_ACCESS_REVIEW_PATH, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec }), options.retry);
    } catch (err) {
      return { decision: 'no-opinion', reason: `SubjectAccessReview failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (r.status !== 200 && r.status !== 201) return { decision: 'no-opinion', reason: `SubjectAccessReview failed: the server answered ${r.status}` };
    let status: Record<string, unknown>;
    try {
      status = (JSON.parse(r.body) as { status?: Record<string, unknown> }).status ?? {};
    } catch {
      return { decision: 'no-opinion', reason: 'SubjectAccessReview failed: the answer is not JSON' };
    }
    const decision = decisionOf(status);
    cache.set(key, decision, decision.decision === 'allow' ? allowedTtl : deniedTtl);
    return decision;
  };
}
