// Server-side Table for `kubectl get apiservices` (kube-aggregator
// pkg/registry/apiservice/etcd/etcd.go, spec 1.7).
import { ageSince } from './human-duration.ts';
import { availableCondition, type APIService } from './types.ts';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export const APISERVICE_TABLE_COLUMNS: readonly TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", priority: 0 },
  { name: 'Service', type: 'string', format: '', description: 'The reference to the service that hosts this API endpoint.', priority: 0 },
  { name: 'Available', type: 'string', format: '', description: 'Whether this service is available.', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
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
  return [svc.metadata.name ?? '', serviceCell(svc), availableCell(svc), ageSince(svc.metadata.creationTimestamp, now)];
}
