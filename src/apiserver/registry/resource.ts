// What the generic registry needs to serve one resource: names and scope for discovery,
// a strategy (defaulting, validation), a Table printer and an OpenAPI schema. Built-in
// resources live in src/apiserver/resources/; the aggregator adds APIService the same way.
import type { FieldError } from '../../apimachinery/status.ts';
import type { Schemas } from '../../apimachinery/schema.ts';
import type { TableColumnDefinition } from '../../apimachinery/table.ts';
import type { NameRule } from '../../apimachinery/validation.ts';
import type { Store, StoredObject } from '../../storage/interface.ts';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
export type Verb = (typeof ALL_VERBS)[number];

export interface TableConvertor {
  columns: TableColumnDefinition[];
  cells(obj: StoredObject, now: Date): unknown[];
}

export interface ResourceStrategy {
  /** Defaulting and clearing of server-owned fields on create (e.g. status). */
  prepareForCreate?(obj: StoredObject): void;
  /** Same on update; `old` is the stored object. */
  prepareForUpdate?(obj: StoredObject, old: StoredObject): void;
  validate?(obj: StoredObject): FieldError[];
  validateUpdate?(obj: StoredObject, old: StoredObject): FieldError[];
  /** Extra field-selector values beyond metadata.name/metadata.namespace. */
  selectableFields?(obj: StoredObject): Record<string, string>;
}

/** A create-only subresource served by an action (serviceaccounts/token). */
export interface ActionSubresource {
  name: string;
  group: string;
  version: string;
  kind: string;
}

export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Defaults to ALL_VERBS; review kinds are ['create']. */
  verbs?: readonly Verb[];
  /** The resource has a /status subresource that alone writes `.status`. */
  statusSubresource?: boolean;
  actionSubresources?: ActionSubresource[];
  /** Not stored: every create is handed to the action of the same key. */
  action?: boolean;
  strategy?: ResourceStrategy;
  table?: TableConvertor;
  /** Component name of the kind's schema, e.g. `io.k8s.api.core.v1.ConfigMap`. */
  schemaName?: string;
  /** The schemas this resource contributes (its kind and the types it uses). */
  schemas?: Schemas;
  /** Field names selectable besides metadata.name/metadata.namespace. */
  fieldSelectors?: string[];
  /** PUT of a missing object creates it (upstream: endpoints, leases). */
  allowCreateOnUpdate?: boolean;
  /** How metadata.name is validated; default `subdomain`. */
  nameValidation?: NameRule;
  /** Runs on create after defaulting and before validation, with storage access (e.g. ClusterIP allocation). */
  beforeCreate?: (obj: StoredObject, ctx: { store: Store; etcdPrefix: string }) => Promise<void>;
  /** Runs after a successful (non-dry-run) create with the stored object (e.g. a namespace's default ServiceAccount). */
  afterCreate?: (obj: StoredObject, ctx: { store: Store; etcdPrefix: string }) => Promise<void>;
  /** Runs after every successful write through the API (computed-on-write derived state, e.g. ClusterRole aggregation). */
  afterWrite?: (ctx: { store: Store; etcdPrefix: string }) => Promise<void>;
  /** Strategic merge patch is implemented (the schema carries patch metadata). Default true for built-ins. */
  strategicMerge?: boolean;
}

export function verbsOf(def: ResourceDefinition): readonly Verb[] {
  return def.verbs ?? ALL_VERBS;
}

export function groupVersion(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** The key of an action: `authorization.k8s.io/v1/selfsubjectaccessreviews`, `v1/serviceaccounts/token`. */
export function actionKey(def: { group: string; version: string; plural: string }, subresource = ''): string {
  return `${groupVersion(def)}/${def.plural}${subresource ? `/${subresource}` : ''}`;
}

/** The key of admission hooks: `rbac.authorization.k8s.io/roles`, `/configmaps`. */
export function admissionKey(def: { group: string; plural: string }): string {
  return `${def.group}/${def.plural}`;
}
