// The Available condition (kube-aggregator pkg/apis/apiregistration/v1/helper/helpers.go).
import type { APIService, APIServiceCondition } from './types.ts';

/** RFC 3339 with second precision, as metav1.Time marshals. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * SetAPIServiceCondition: an existing condition of that type gets reason and message
 * overwritten, and status + lastTransitionTime only when the status changed; otherwise
 * the condition is appended. Other types are untouched. Returns a new object.
 */
export function setAPIServiceCondition(svc: APIService, condition: APIServiceCondition): APIService {
  const conditions = [...(svc.status?.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    conditions.push(condition);
  } else {
    const old = conditions[i];
    const changed = old.status !== condition.status;
    conditions[i] = {
      ...old,
      status: condition.status,
      lastTransitionTime: changed ? condition.lastTransitionTime : old.lastTransitionTime,
      reason: condition.reason,
      message: condition.message,
    };
  }
  return { ...svc, status: { ...svc.status, conditions } };
}
