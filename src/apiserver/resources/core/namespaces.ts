// core/v1 Namespace: cluster-scoped, phase Active/Terminating, status and finalize subresources.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import type { StoredObject } from '../../../storage/interface.ts';
import { arr, kind, obj, ref, str } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';
import { ensureDefaultServiceAccount } from './default-service-account.ts';

const SCHEMA = 'io.k8s.api.core.v1.Namespace';

function setPhase(o: StoredObject): void {
  const status = (o.status ?? {}) as Record<string, unknown>;
  o.status = { ...status, phase: o.metadata.deletionTimestamp ? 'Terminating' : 'Active' };
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  o.spec = { ...spec, finalizers: (spec.finalizers as string[] | undefined) ?? ['kubernetes'] };
  o.metadata.labels = { ...((o.metadata.labels ?? {}) as Record<string, string>), 'kubernetes.io/metadata.name': o.metadata.name ?? '' };
}

export const namespaces: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  statusSubresource: true,
  nameValidation: 'label',
  fieldSelectors: ['status.phase'],
  schemaName: SCHEMA,
  afterCreate: (o, ctx) => ensureDefaultServiceAccount(o.metadata.name ?? '', ctx),
  schemas: {
    [SCHEMA]: kind(
      {
        spec: ref('io.k8s.api.core.v1.NamespaceSpec', 'Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status', { default: {} }),
        status: ref('io.k8s.api.core.v1.NamespaceStatus', 'Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status', { default: {} }),
      },
      'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    ),
    'io.k8s.api.core.v1.NamespaceSpec': obj({ finalizers: arr(str(), 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/', { listType: 'atomic' }) }, 'NamespaceSpec describes the attributes on a Namespace.'),
    'io.k8s.api.core.v1.NamespaceStatus': obj(
      {
        conditions: arr(ref('io.k8s.api.core.v1.NamespaceCondition'), "Represents the latest available observations of a namespace's current state.", { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
        phase: str('Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/', { enum: ['Active', 'Terminating'] }),
      },
      'NamespaceStatus is information about the current status of a Namespace.',
    ),
    'io.k8s.api.core.v1.NamespaceCondition': obj({ lastTransitionTime: { type: 'string', format: 'date-time' }, message: str(), reason: str(), status: str('Status of the condition, one of True, False, Unknown.'), type: str('Type of namespace controller condition.') }, 'NamespaceCondition contains details about state of namespace.', ['type', 'status']),
  },
  strategy: {
    prepareForCreate: setPhase,
    prepareForUpdate: setPhase,
    selectableFields: (o) => ({ 'status.phase': String(((o.status ?? {}) as Record<string, unknown>).phase ?? '') }),
  },
  table: {
    columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
    cells: (o, now) => [o.metadata.name, ((o.status ?? {}) as Record<string, unknown>).phase ?? '', age(o.metadata.creationTimestamp, now)],
  },
};
