// SelfSubjectReview (`kubectl auth whoami`): who the server thinks the caller is.
import type { Action } from '../registry/action.ts';
import { userInfoJson } from './token-review.ts';

export function createSelfSubjectReviewAction(options: { now?: () => Date } = {}): Action {
  const now = options.now ?? (() => new Date());
  return async function selfSubjectReview({ body, user }) {
    const metadata = { ...((body.metadata as Record<string, unknown> | undefined) ?? {}), creationTimestamp: now().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    return { kind: 'SelfSubjectReview', apiVersion: String(body.apiVersion ?? 'authentication.k8s.io/v1'), metadata, status: { userInfo: userInfoJson(user) } };
  };
}
