// apiregistration.k8s.io/v1 APIService (kube-aggregator pkg/apis/apiregistration/v1/types.go).
// Wire field names are kept exactly; caBundle is base64 in JSON (Go []byte).
import type { ObjectMeta } from 'kubernetes-types/meta/v1.d.ts';

export const APIREGISTRATION_GROUP = 'apiregistration.k8s.io';
export const APIREGISTRATION_VERSION = 'v1';
export const APISERVICE_API_VERSION = `${APIREGISTRATION_GROUP}/${APIREGISTRATION_VERSION}`;
export const APISERVICE_KIND = 'APIService';
export const APISERVICE_RESOURCE = { group: APIREGISTRATION_GROUP, resource: 'apiservices' } as const;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface APIServiceCondition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ServiceReference {
  namespace?: string;
  name?: string;
  port?: number;
}

export interface APIServiceSpec {
  service?: ServiceReference | null;
  group?: string;
  version?: string;
  insecureSkipTLSVerify?: boolean;
  /** base64 of a PEM bundle. */
  caBundle?: string;
  groupPriorityMinimum: number;
  versionPriority: number;
}

export interface APIServiceStatus {
  conditions?: APIServiceCondition[];
}

export interface APIService {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & { name?: string };
  spec: APIServiceSpec;
  status?: APIServiceStatus;
}

export const AVAILABLE = 'Available';

/** Every reason the availability controllers write (spec 1.6). */
export const AVAILABLE_REASONS = {
  Local: 'Local',
  Passed: 'Passed',
  ServiceNotFound: 'ServiceNotFound',
  ServiceAccessError: 'ServiceAccessError',
  ServicePortError: 'ServicePortError',
  EndpointsNotFound: 'EndpointsNotFound',
  EndpointsAccessError: 'EndpointsAccessError',
  MissingEndpoints: 'MissingEndpoints',
  FailedDiscoveryCheck: 'FailedDiscoveryCheck',
} as const;

export const LOCAL_AVAILABLE_MESSAGE = 'Local APIServices are always available';

export function isLocal(svc: APIService): boolean {
  return svc.spec.service === undefined || svc.spec.service === null;
}

export function availableCondition(svc: APIService): APIServiceCondition | undefined {
  return svc.status?.conditions?.find((c) => c.type === AVAILABLE);
}

export function isAvailable(svc: APIService): boolean {
  return availableCondition(svc)?.status === 'True';
}

/** Decodes spec.caBundle (base64) to bytes; empty when absent. */
export function caBundleBytes(svc: APIService): Buffer {
  return svc.spec.caBundle ? Buffer.from(svc.spec.caBundle, 'base64') : Buffer.alloc(0);
}
