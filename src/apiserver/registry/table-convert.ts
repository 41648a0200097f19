// Objects to meta.k8s.io Tables: the resource's own columns, or the generic default
// (Name, Created At) for resources without a printer (kubectl.md §3.2–3.3).
import { column, NAME_COLUMN, rowObject, type IncludeObject, type ListMeta, type Table, type TableColumnDefinition } from '../../apimachinery/table.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { ResourceDefinition, TableConvertor } from './resource.ts';

const CREATED_AT = column('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata');

export const DEFAULT_TABLE: TableConvertor = {
  columns: [NAME_COLUMN, CREATED_AT],
  cells: (obj) => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? ''],
};

export function tableOf(def: ResourceDefinition): TableConvertor {
  return def.table ?? DEFAULT_TABLE;
}

export interface TableOptions {
  apiVersion: string;
  include: IncludeObject;
  now: Date;
  /** false for watch events after the first: `columnDefinitions: null`. */
  withColumns: boolean;
}

export function toTable(def: ResourceDefinition, objects: StoredObject[], meta: ListMeta, opts: TableOptions): Table {
  const t = tableOf(def);
  const columns: TableColumnDefinition[] | null = opts.withColumns ? t.columns : null;
  return {
    kind: 'Table',
    apiVersion: opts.apiVersion as Table['apiVersion'],
    metadata: meta,
    columnDefinitions: columns,
    rows: objects.map((o) => {
      const object = rowObject(o as Record<string, unknown>, opts.include);
      return object ? { cells: t.cells(o, opts.now), object } : { cells: t.cells(o, opts.now) };
    }),
  };
}
