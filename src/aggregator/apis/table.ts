// Server-side Table for `kubectl get apiservices` (kube-aggregator
// pkg/registry/apiservice/etcd/etcd.go, spec 1.7).
import { age } from '../../apimachinery/duration.ts';
import { AGE_COLUMN, NAME_COLUMN, column, type TableColumnDefinition } from '../../apimachinery/table.ts';
import { availableCondition, type APIService } from './types.ts';

export const APISERVICE_TABLE_COLUMNS: readonly TableColumnDefinition[] = [
  NAME_COLUMN,
  column('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
  column('Available', 'string', 'Whether this service is available.'),
  AGE_COLUMN,
];

/** The SERVICE cell: `Local`, or `<namespace>/<name>` (no port). */
export function serviceCell(svc: APIService): string {
  const ref = svc.spec?.service;
  return ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : 'Local';
}

/** The AVAILABLE cell (spec 1.7 rules 1–4). */
export function availableCell(svc: APIService): string {
  const c = availableCondition(svc);
  if (!c) return 'Unknown';
  if (c.status === 'True') return 'True';
  return c.reason ? `${c.status} (${c.reason})` : c.status;
}

export function apiServiceTableCells(svc: APIService, now: Date): string[] {
  return [svc.metadata.name ?? '', serviceCell(svc), availableCell(svc), age(svc.metadata.creationTimestamp, now)];
}
