import type { UserInfo } from '../authn/user.ts';
import type { RequestInfo } from '../request/request-info.ts';
import type { Attributes } from './authorizer.ts';

/** The authorizer's question for one request. */
export function attributesOf(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}
