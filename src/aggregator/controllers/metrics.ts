// aggregator_unavailable_apiservice{name} and _total{name,reason}
// (kube-aggregator pkg/controllers/status/metrics/metrics.go, spec 4.4.5).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface AvailabilityMetrics {
  set(name: string, available: boolean): void;
  transitionedToUnavailable(name: string, reason: string): void;
  forget(name: string): void;
}

export function createAvailabilityMetrics(registry?: Registry): AvailabilityMetrics {
  const registers = registry ? [registry] : [];
  const gauge = new Gauge({ name: 'aggregator_unavailable_apiservice', help: 'Gauge of APIServices which are marked as unavailable broken down by APIService name.', labelNames: ['name'], registers });
  const counter = new Counter({ name: 'aggregator_unavailable_apiservice_total', help: 'Counter of APIServices which are marked as unavailable broken down by APIService name and reason.', labelNames: ['name', 'reason'], registers });
  return {
    set: (name, available) => gauge.set({ name }, available ? 0 : 1),
    transitionedToUnavailable: (name, reason) => counter.inc({ name, reason: reason || 'UnknownReason' }),
    forget: (name) => {
      gauge.remove({ name });
    },
  };
}
