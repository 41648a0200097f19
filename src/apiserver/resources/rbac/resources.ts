// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import type { StoredObject } from '../../../storage/interface.ts';
import type { ResourceDefinition, TableConvertor } from '../../registry/resource.ts';
import { reconcileClusterRoleAggregation } from './aggregation.ts';
import { RBAC, RBAC_SCHEMAS } from './schemas.ts';
import { defaultSubjects, RBAC_GROUP, validateBinding, validateRoleRefUnchanged, validateRules } from './validation.ts';

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

const BINDING_TABLE: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
    AGE_COLUMN,
    column('Users', 'string', 'Users in the roleBinding', { priority: 1 }),
    column('Groups', 'string', 'Groups in the roleBinding', { priority: 1 }),
    column('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', { priority: 1 }),
  ],
  cells: (o: StoredObject, now: Date) => {
    const ref = (o.roleRef ?? {}) as { kind?: string; name?: string };
    const subjects = (o.subjects ?? []) as Subject[];
    const pick = (k: string) => subjects.filter((s) => s.kind === k);
    return [
      o.metadata.name,
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      age(o.metadata.creationTimestamp, now),
      pick('User').map((s) => s.name).join(', '),
      pick('Group').map((s) => s.name).join(', '),
      pick('ServiceAccount').map((s) => `${s.namespace ?? ''}:${s.name}`).join(', '),
    ];
  },
};

const base = { group: RBAC_GROUP, version: 'v1', nameValidation: 'path', schemas: RBAC_SCHEMAS } as const;

export const roles: ResourceDefinition = {
  ...base,
  kind: 'Role',
  listKind: 'RoleList',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  schemaName: `${RBAC}.Role`,
  strategy: { validate: (o) => validateRules(o, true) },
};

export const clusterRoles: ResourceDefinition = {
  ...base,
  kind: 'ClusterRole',
  listKind: 'ClusterRoleList',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  schemaName: `${RBAC}.ClusterRole`,
  strategy: { validate: (o) => validateRules(o, false) },
  afterWrite: ({ store, etcdPrefix }) => reconcileClusterRoleAggregation(store, etcdPrefix),
};

export const roleBindings: ResourceDefinition = {
  ...base,
  kind: 'RoleBinding',
  listKind: 'RoleBindingList',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  schemaName: `${RBAC}.RoleBinding`,
  strategy: {
    prepareForCreate: defaultSubjects,
    prepareForUpdate: (o) => defaultSubjects(o),
    validate: (o) => validateBinding(o, true),
    validateUpdate: (o, old) => [...validateBinding(o, true), ...validateRoleRefUnchanged(o, old)],
  },
  table: BINDING_TABLE,
};

export const clusterRoleBindings: ResourceDefinition = {
  ...base,
  kind: 'ClusterRoleBinding',
  listKind: 'ClusterRoleBindingList',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  schemaName: `${RBAC}.ClusterRoleBinding`,
  strategy: {
    prepareForCreate: defaultSubjects,
    prepareForUpdate: (o) => defaultSubjects(o),
    validate: (o) => validateBinding(o, false),
    validateUpdate: (o, old) => [...validateBinding(o, false), ...validateRoleRefUnchanged(o, old)],
  },
  table: BINDING_TABLE,
};
