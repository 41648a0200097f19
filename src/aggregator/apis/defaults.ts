// APIService defaulting (kube-aggregator pkg/apis/apiregistration/v1/defaults.go, spec 1.3).
import type { APIService } from './types.ts';

export const DEFAULT_SERVICE_PORT = 443;

/** Defaults in place and returns the object: spec.service.port ⇒ 443. Nothing else. */
export function defaultAPIService(svc: APIService): APIService {
  const ref = svc.spec?.service;
  if (ref && (ref.port === undefined || ref.port === null || ref.port === 0)) ref.port = DEFAULT_SERVICE_PORT;
  return svc;
}
