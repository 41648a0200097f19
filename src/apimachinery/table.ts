// meta.k8s.io/v1 Table, the server-side printing format (kubectl.md §3.2).

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: Record<string, unknown>;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

export const INCLUDE_OBJECT = ['Metadata', 'Object', 'None'] as const;
export type IncludeObject = (typeof INCLUDE_OBJECT)[number];

/** The `PartialObjectMetadata` kubectl reads NAMESPACE and labels from. */
export function partialObjectMetadata(obj: { metadata?: unknown }): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

export function rowObject(obj: Record<string, unknown>, include: IncludeObject): Record<string, unknown> | undefined {
  if (include === 'None') return undefined;
  return include === 'Object' ? obj : partialObjectMetadata(obj);
}

export function column(name: string, type: TableColumnDefinition['type'], description: string, extra: Partial<TableColumnDefinition> = {}): TableColumnDefinition {
  return { name, type, format: '', description, priority: 0, ...extra };
}

export const NAME_COLUMN = column('Name', 'string', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', { format: 'name' });
export const AGE_COLUMN = column('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata');
