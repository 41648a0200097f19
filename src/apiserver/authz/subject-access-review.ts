// SubjectAccessReview, SelfSubjectAccessReview and LocalSubjectAccessReview
// (authorization.k8s.io/v1): the server's own authorizer answers "may this user do that?".
import { invalid, type FieldError } from '../../apimachinery/status.ts';
import type { UserInfo } from '../authn/user.ts';
import type { Action } from '../registry/action.ts';
import type { Attributes, Authorizer } from './authorizer.ts';

type Spec = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The question a review spec asks, or field errors (exactly one attribute kind is required). */
export function reviewAttributes(user: UserInfo, spec: Spec, kindName: string): Attributes {
  const res = spec.resourceAttributes as Spec | undefined | null;
  const nonRes = spec.nonResourceAttributes as Spec | undefined | null;
  const errs: FieldError[] = [];
  if (res && nonRes) errs.push({ path: 'spec.nonResourceAttributes', type: 'FieldValueInvalid', value: nonRes, detail: 'cannot be specified in combination with resourceAttributes' });
  if (!res && !nonRes) errs.push({ path: 'spec.resourceAttributes', type: 'FieldValueInvalid', value: null, detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' });
  if (errs.length > 0) throw invalid({ group: 'authorization.k8s.io', kind: kindName }, '', errs);
  if (res) {
    return { user, verb: str(res.verb), isResourceRequest: true, path: '', namespace: str(res.namespace), apiGroup: str(res.group), apiVersion: str(res.version), resource: str(res.resource), subresource: str(res.subresource), name: str(res.name) };
  }
  return { user, verb: str(nonRes?.verb), isResourceRequest: false, path: str(nonRes?.path), namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

async function decide(authorize: Authorizer, attrs: Attributes): Promise<Record<string, unknown>> {
  try {
    const d = await authorize(attrs);
    return { allowed: d.decision === 'allow', ...(d.decision === 'deny' ? { denied: true } : {}), ...(d.reason ? { reason: d.reason } : {}) };
  } catch (err) {
    return { allowed: false, evaluationError: err instanceof Error ? err.message : String(err) };
  }
}

function extraOf(v: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, vs] of Object.entries(v)) if (Array.isArray(vs)) out[k] = vs.map(String);
  return out;
}

function response(kind: string, body: Record<string, unknown>, spec: Spec, status: Record<string, unknown>): Record<string, unknown> {
  return { kind, apiVersion: String(body.apiVersion ?? 'authorization.k8s.io/v1'), metadata: body.metadata ?? {}, spec, status };
}

export function createSubjectAccessReviewAction(authorize: Authorizer): Action {
  return async function subjectAccessReview({ body }) {
    const spec = (body.spec ?? {}) as Spec;
    const groups = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
    if (str(spec.user) === '' && groups.length === 0) {
      throw invalid({ group: 'authorization.k8s.io', kind: 'SubjectAccessReview' }, '', [{ path: 'spec.user', type: 'FieldValueInvalid', value: '', detail: 'at least one of user or group must be specified' }]);
    }
    const user: UserInfo = { name: str(spec.user), ...(str(spec.uid) ? { uid: str(spec.uid) } : {}), groups, extra: extraOf(spec.extra) };
    return response('SubjectAccessReview', body, spec, await decide(authorize, reviewAttributes(user, spec, 'SubjectAccessReview')));
  };
}

export function createSelfSubjectAccessReviewAction(authorize: Authorizer): Action {
  return async function selfSubjectAccessReview({ body, user }) {
    const spec = (body.spec ?? {}) as Spec;
    return response('SelfSubjectAccessReview', body, spec, await decide(authorize, reviewAttributes(user, spec, 'SelfSubjectAccessReview')));
  };
}

/** The namespaced form: the review's namespace must be the URL's. */
export function createLocalSubjectAccessReviewAction(authorize: Authorizer): Action {
  const inner = createSubjectAccessReviewAction(authorize);
  return async function localSubjectAccessReview(ctx) {
    const spec = (ctx.body.spec ?? {}) as Spec;
    const res = (spec.resourceAttributes ?? {}) as Spec;
    if (spec.nonResourceAttributes || str(res.namespace) !== ctx.namespace) {
      throw invalid({ group: 'authorization.k8s.io', kind: 'LocalSubjectAccessReview' }, '', [{ path: 'spec.resourceAttributes.namespace', type: 'FieldValueInvalid', value: str(res.namespace), detail: 'must match metadata.namespace' }]);
    }
    const out = await inner(ctx);
    return { ...out, kind: 'LocalSubjectAccessReview' };
  };
}
