// kagg/extension — build an aggregated API server: declare resources (the generic registry's
// ResourceDefinition), admission hooks and options; get HTTPS, delegated authentication and
// authorization, storage, watch, Table, OpenAPI and discovery.
export { createExtensionServer, type ExtensionServer } from './server.ts';
export type { AdmissionContext, AuthenticationOptions, AuthorizationOptions, ExtensionServerOptions, RequestHeaderFlags, SecureServingOptions } from './options.ts';
export { DEFAULT_REQUEST_HEADER_FLAGS } from './options.ts';
export { AUTH_CONFIGMAP_KEYS, AUTH_CONFIGMAP_NAME, AUTH_CONFIGMAP_NAMESPACE, parseAuthenticationConfigMap, type AuthenticationSnapshot, type RequestHeaderSettings } from './auth-config.ts';
export { createConfigMapSource, FORBIDDEN_HINT, type AuthenticationSource } from './auth-config-source.ts';
export { loadKubeconfig, createKubeClient, inClusterConnection, type KubeClient, type KubeConnection } from '../client/kube-client.ts';
export { createDelegatedAuthentication, type DelegatedAuthentication } from './delegated-authentication.ts';
export { createTokenReviewAuthenticator, DEFAULT_TOKEN_REVIEW_TTL_MS } from './token-review.ts';
export { createSubjectAccessReviewAuthorizer, decisionOf, reviewSpec, DEFAULT_AUTHORIZED_TTL_MS, DEFAULT_UNAUTHORIZED_TTL_MS } from './subject-access-review.ts';
export { createPathAuthorizer, DEFAULT_ALWAYS_ALLOW_PATHS } from './always-allow-paths.ts';
export { loadServingCert, type ServingCert, type ServingCertOptions } from './serving-cert.ts';
export { convertingStore, inRequestVersion, type KindConversion } from './conversion.ts';
export { createTtlCache, type TtlCache } from './ttl-cache.ts';

// What a resource author needs from the shared layers, so `kagg/extension` is the one import.
export type { ResourceDefinition, ResourceStrategy, TableConvertor } from '../apiserver/registry/resource.ts';
export type { AdmissionHook, AdmissionRequest } from '../apiserver/registry/admission.ts';
export { objectKey } from '../apiserver/registry/keys.ts';
export type { Store, StoredObject, StoreOptions } from '../storage/mod.ts';
export { forbidden, invalid, StatusError, type FieldError } from '../apimachinery/status.ts';
export { AGE_COLUMN, NAME_COLUMN, column } from '../apimachinery/table.ts';
export { age } from '../apimachinery/duration.ts';
export { arr, bool, int32, int64, kind, mapOf, obj, ref, str, stringMap } from '../apiserver/openapi/dsl.ts';
