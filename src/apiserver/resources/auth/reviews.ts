// The computed review kinds of authentication.k8s.io/v1 and authorization.k8s.io/v1:
// create-only, never stored, each served by the action of the same key.
import type { Schemas } from '../../../apimachinery/schema.ts';
import { arr, bool, dateTime, int64, kind, mapOf, obj, str } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const AUTHN = 'io.k8s.api.authentication.v1';
const AUTHZ = 'io.k8s.api.authorization.v1';

const userInfo = obj({ extra: mapOf(arr(str())), groups: arr(str(), 'The names of groups this user is a part of.', { listType: 'atomic' }), uid: str('A unique value that identifies this user across time.'), username: str('The name that uniquely identifies this user among all active users.') }, 'UserInfo holds the information about the user needed to implement the user.Info interface.');
const resourceAttributes = obj({ group: str('Group is the API Group of the Resource.  "*" means all.'), name: str('Name is the name of the resource being requested for a "get" or deleted for a "delete". "" (empty) means all.'), namespace: str('Namespace is the namespace of the action being requested.'), resource: str('Resource is one of the existing resource types.  "*" means all.'), subresource: str('Subresource is one of the existing resource types.  "" means none.'), verb: str('Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy.  "*" means all.'), version: str('Version is the API Version of the Resource.  "*" means all.') }, 'ResourceAttributes includes the authorization attributes available for resource requests to the Authorizer interface');
const nonResourceAttributes = obj({ path: str('Path is the URL path of the request'), verb: str('Verb is the standard HTTP verb') }, 'NonResourceAttributes includes the authorization attributes available for non-resource requests to the Authorizer interface');
const accessStatus = obj({ allowed: bool('Allowed is required. True if the action would be allowed, false otherwise.'), denied: bool('Denied is optional. True if the action would be denied, otherwise false.'), evaluationError: str('EvaluationError is an indication that some error occurred during the authorization check.'), reason: str('Reason is optional.  It indicates why a request was allowed or denied.') }, 'SubjectAccessReviewStatus', ['allowed']);
const sarSpec = obj({ extra: mapOf(arr(str())), groups: arr(str(), 'Groups is the groups you\'re testing for.', { listType: 'atomic' }), nonResourceAttributes, resourceAttributes, uid: str('UID information about the requesting user.'), user: str('User is the user you\'re testing for.') }, 'SubjectAccessReviewSpec is a description of the access request.');

const SCHEMAS: Schemas = {
  [`${AUTHN}.TokenReview`]: kind({ spec: obj({ audiences: arr(str(), 'Audiences is a list of the identifiers that the resource server presented with the token identifies as.', { listType: 'atomic' }), token: str('Token is the opaque bearer token.') }, 'Spec holds information about the request being evaluated'), status: obj({ audiences: arr(str()), authenticated: bool('Authenticated indicates that the token was associated with a known user.'), error: str("Error indicates that the token couldn't be checked"), user: userInfo }, 'Status is filled in by the server and indicates whether the request can be authenticated.') }, 'TokenReview attempts to authenticate a token to a known user.', ['spec']),
  [`${AUTHN}.TokenRequest`]: kind({ spec: obj({ audiences: arr(str(), 'Audiences are the intendend audiences of the token.', { listType: 'atomic' }), boundObjectRef: obj({ apiVersion: str(), kind: str(), name: str(), uid: str() }, 'BoundObjectRef is a reference to an object that the token will be bound to.'), expirationSeconds: int64('ExpirationSeconds is the requested duration of validity of the request.') }, 'Spec holds information about the request being evaluated'), status: obj({ expirationTimestamp: dateTime('ExpirationTimestamp is the time of expiration of the returned token.'), token: str('Token is the opaque bearer token.') }, 'Status is filled in by the server and indicates whether the token can be authenticated.') }, 'TokenRequest requests a token for a given service account.', ['spec']),
  [`${AUTHN}.SelfSubjectReview`]: kind({ status: obj({ userInfo }, 'Status is filled in by the server with the user attributes.') }, 'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request.'),
  [`${AUTHZ}.SubjectAccessReview`]: kind({ spec: sarSpec, status: accessStatus }, 'SubjectAccessReview checks whether or not a user or group can perform an action.', ['spec']),
  [`${AUTHZ}.LocalSubjectAccessReview`]: kind({ spec: sarSpec, status: accessStatus }, 'LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given namespace.', ['spec']),
  [`${AUTHZ}.SelfSubjectAccessReview`]: kind({ spec: obj({ nonResourceAttributes, resourceAttributes }, 'Spec holds information about the request being evaluated.'), status: accessStatus }, 'SelfSubjectAccessReview checks whether or the current user can perform an action.', ['spec']),
  [`${AUTHZ}.SelfSubjectRulesReview`]: kind({ spec: obj({ namespace: str('Namespace to evaluate rules for. Required.') }, 'Spec holds information about the request being evaluated.'), status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description: 'Status is filled in by the server and indicates the set of actions a user can perform.' } }, 'SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace.', ['spec']),
};

function review(group: string, kindName: string, plural: string, namespaced = false): ResourceDefinition {
  const prefix = group === 'authentication.k8s.io' ? AUTHN : AUTHZ;
  return {
    group,
    version: 'v1',
    kind: kindName,
    listKind: `${kindName}List`,
    plural,
    singular: plural.replace(/s$/, ''),
    namespaced,
    verbs: ['create'],
    action: true,
    schemaName: `${prefix}.${kindName}`,
    schemas: SCHEMAS,
  };
}

export const reviews: ResourceDefinition[] = [
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews'),
];

/** Schemas of the kinds served as action subresources (serviceaccounts/token). */
export const REVIEW_SCHEMAS = SCHEMAS;
