// Steps 2–5 of the remote availability check (spec 4.2), pure over the cached objects.
// Undefined means "all passed so far: run the HTTP probe".
import type { Endpoints, Service } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import { AVAILABLE_REASONS, type ConditionStatus } from '../apis/types.ts';

export interface CheckResult {
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface CheckInput {
  namespace: string;
  name: string;
  port: number;
  /** undefined: not found; Error: the lister failed. */
  service: Service | undefined | Error;
  slices: readonly EndpointSlice[] | Error;
  endpoints?: Endpoints;
}

const q = JSON.stringify;

export function checkServiceAndEndpoints(input: CheckInput): CheckResult | undefined {
  const { namespace, name, port, service } = input;
  if (service instanceof Error) {
    return { status: 'Unknown', reason: AVAILABLE_REASONS.ServiceAccessError, message: `service/${name} in ${q(namespace)} cannot be checked due to: ${service.message}` };
  }
  if (!service) return { status: 'False', reason: AVAILABLE_REASONS.ServiceNotFound, message: `service/${name} in ${q(namespace)} is not present` };
  if ((service.spec?.type ?? 'ClusterIP') !== 'ClusterIP') return undefined;

  const svcPort = (service.spec?.ports ?? []).find((p) => p.port === port);
  if (!svcPort) return { status: 'False', reason: AVAILABLE_REASONS.ServicePortError, message: `service/${name} in ${q(namespace)} is not listening on port ${port}` };
  const portName = svcPort.name ?? '';

  if (input.slices instanceof Error) {
    return { status: 'Unknown', reason: AVAILABLE_REASONS.EndpointsAccessError, message: `service/${name} in ${q(namespace)} cannot be checked due to: ${input.slices.message}` };
  }
  if (input.slices.length === 0 && input.endpoints) {
    const ok = (input.endpoints.subsets ?? []).some((s) => (s.addresses ?? []).length > 0 && (s.ports ?? []).some((p) => (p.name ?? '') === portName));
    if (!ok) return { status: 'False', reason: AVAILABLE_REASONS.MissingEndpoints, message: `endpoints for service/${name} in ${q(namespace)} have no addresses with port name ${q(portName)}` };
    return undefined;
  }
  if (input.slices.length === 0) {
    return { status: 'False', reason: AVAILABLE_REASONS.EndpointsNotFound, message: `cannot find endpointslices for service/${name} in ${q(namespace)}` };
  }
  const ok = input.slices.some(
    (s) =>
      (s.endpoints ?? []).some((e) => e.conditions?.ready !== false) &&
      (s.ports ?? []).some((p) => (p.name ?? '') === portName && p.port !== undefined && p.port !== null),
  );
  if (!ok) return { status: 'False', reason: AVAILABLE_REASONS.MissingEndpoints, message: `endpointslices for service/${name} in ${q(namespace)} have no addresses with port name ${q(portName)}` };
  return undefined;
}
