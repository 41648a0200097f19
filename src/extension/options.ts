// The options of an extension API server (k8s.io/apiserver's delegating and secure-serving
// options, as TypeScript): what the author declares and what the operator configures.
import type { AdmissionHook } from '../apiserver/registry/admission.ts';
import type { KindConversion } from './conversion.ts';
import type { ResourceDefinition } from '../apiserver/registry/resource.ts';
import type { HealthCheck } from '../apiserver/filters/health-routes.ts';
import type { Store, StoreOptions } from '../storage/mod.ts';

export interface SecureServingOptions {
  /** 0 picks a free port. Upstream default 443. */
  port: number;
  /** Default 0.0.0.0. */
  bindAddress?: string;
  certFile?: string;
  keyFile?: string;
  /** Generated certificates go here when no files are given. */
  certDir?: string;
  /** Names of the generated certificate; default localhost, 127.0.0.1. */
  hosts?: readonly string[];
}

export interface RequestHeaderFlags {
  /** Setting this takes every requestheader setting from these flags (with their defaults). */
  clientCAFile: string;
  allowedNames?: readonly string[];
  usernameHeaders?: readonly string[];
  uidHeaders?: readonly string[];
  groupHeaders?: readonly string[];
  extraHeaderPrefixes?: readonly string[];
}

export interface AuthenticationOptions {
  /** --authentication-kubeconfig; default in-cluster when running in a pod. */
  kubeconfig?: string;
  /** Force in-cluster configuration. */
  inCluster?: boolean;
  /** --authentication-skip-lookup: never read the ConfigMap. */
  skipLookup?: boolean;
  /** --authentication-tolerate-lookup-failure. */
  tolerateLookupFailure?: boolean;
  /** --client-ca-file: overrides the ConfigMap's client-ca-file. */
  clientCAFile?: string;
  /** --requestheader-client-ca-file and friends: override the ConfigMap. */
  requestHeader?: RequestHeaderFlags;
  /** --authentication-token-webhook-cache-ttl; default 10 s. */
  tokenReviewTtlMs?: number;
  /** --authentication-audiences, sent with TokenReviews. */
  audiences?: readonly string[];
  /** Default true, as upstream's delegating options. */
  anonymous?: boolean;
  /** Start without a kubeconfig outside a cluster (no delegated authentication); default false. */
  remoteKubeconfigOptional?: boolean;
}

export interface AuthorizationOptions {
  /** --authorization-kubeconfig; default in-cluster when running in a pod. */
  kubeconfig?: string;
  inCluster?: boolean;
  /** Default /healthz, /readyz, /livez. */
  alwaysAllowPaths?: readonly string[];
  /** Default system:masters. */
  alwaysAllowGroups?: readonly string[];
  /** Start without a kubeconfig outside a cluster (only always-allowed paths and groups); default false. */
  remoteKubeconfigOptional?: boolean;
  /** Defaults 10 s / 10 s. */
  allowedTtlMs?: number;
  deniedTtlMs?: number;
}

export interface AdmissionContext {
  store: Store;
  etcdPrefix: string;
}

export interface ExtensionServerOptions {
  /** Every version of every kind served; the groups served are theirs. */
  resources: readonly ResourceDefinition[];
  /**
   * Admission hooks by `group/plural` (`wardle.example.com/flunders`), or a function that
   * builds them from the server's store (for hooks that read other objects, like BanFlunder).
   */
  admission?: Record<string, AdmissionHook[]> | ((ctx: AdmissionContext) => Record<string, AdmissionHook[]>);
  /** Kinds served in several versions: their storage version and converter. */
  conversions?: readonly KindConversion[];
  /** A store, or how to open one; default memory. */
  storage?: Store | StoreOptions;
  /** Default `/registry`. */
  etcdPrefix?: string;
  secure: SecureServingOptions;
  authentication?: AuthenticationOptions;
  authorization?: AuthorizationOptions;
  /** The core server for namespaces (upstream's --kubeconfig); default the authentication kubeconfig. */
  kubeconfig?: string;
  /** More /readyz checks. */
  readyChecks?: HealthCheck[];
  requestTimeoutMs?: number;
  log?: (line: string) => void;
  clock?: () => Date;
}

export const DEFAULT_REQUEST_HEADER_FLAGS = {
  usernameHeaders: ['x-remote-user'],
  uidHeaders: [],
  groupHeaders: ['x-remote-group'],
  extraHeaderPrefixes: ['x-remote-extra-'],
} as const;
