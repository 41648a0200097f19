import type { UserInfo } from '../authn/user.ts';

/** What is being asked (k8s.io/apiserver pkg/authorization/authorizer.Attributes). */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'no-opinion';

export interface Authorization {
  decision: Decision;
  reason: string;
}

/** May answer synchronously (RBAC from informer caches does): callers `await` the result. */
export type Authorizer = (attrs: Attributes) => Authorization | Promise<Authorization>;
