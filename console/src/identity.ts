// Who the console is signed in as (a SelfSubjectReview), for the header and the request path.
import { apiPost } from './api.ts';

export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

let cached: Promise<UserInfo> | undefined;

export function whoAmI(): Promise<UserInfo> {
  cached ??= apiPost<{ status?: { userInfo?: UserInfo } }>('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  }).then((r) => r.status?.userInfo ?? {}).catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
