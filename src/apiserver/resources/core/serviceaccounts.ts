// core/v1 ServiceAccount, with the create-only `token` subresource served by an action.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import { arr, bool, kind, obj, ref, str } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const SCHEMA = 'io.k8s.api.core.v1.ServiceAccount';

export const OBJECT_REFERENCE_SCHEMA = obj(
  {
    apiVersion: str('API version of the referent.'),
    fieldPath: str('If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.'),
    kind: str('Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
    name: str('Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    namespace: str('Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'),
    resourceVersion: str('Specific resourceVersion to which this reference is made, if any.'),
    uid: str('UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids'),
  },
  'ObjectReference contains enough information to let you inspect or modify the referred object.',
);

export const serviceAccounts: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  actionSubresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }],
  schemaName: SCHEMA,
  schemas: {
    [SCHEMA]: kind(
      {
        automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level.'),
        imagePullSecrets: arr(ref('io.k8s.api.core.v1.LocalObjectReference'), 'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.', { listType: 'atomic' }),
        secrets: arr(ref('io.k8s.api.core.v1.ObjectReference'), 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { mergeKey: 'name', strategy: 'merge' }),
      },
      'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
    ),
    'io.k8s.api.core.v1.ObjectReference': OBJECT_REFERENCE_SCHEMA,
    'io.k8s.api.core.v1.LocalObjectReference': { ...obj({ name: str('Name of the referent.', { default: '' }) }, 'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.'), 'x-kubernetes-map-type': 'atomic' },
  },
  table: {
    columns: [NAME_COLUMN, column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata.name, ((o.secrets ?? []) as unknown[]).length, age(o.metadata.creationTimestamp, now)],
  },
};
