// rbac.authorization.k8s.io/v1 validation (pkg/apis/rbac/validation/validation.go).
import type { FieldError } from '../../../apimachinery/status.ts';
import type { StoredObject } from '../../../storage/interface.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export function validateRules(o: StoredObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const rules = (o.rules ?? []) as Rule[];
  rules.forEach((r, i) => {
    const p = `rules[${i}]`;
    if (!r.verbs || r.verbs.length === 0) errs.push({ path: `${p}.verbs`, type: 'FieldValueRequired', detail: 'verbs must contain at least one value' });
    const nonResource = r.nonResourceURLs ?? [];
    if (nonResource.length > 0) {
      if (namespaced) errs.push({ path: `${p}.nonResourceURLs`, type: 'FieldValueInvalid', value: nonResource, detail: 'namespaced rules cannot apply to non-resource URLs' });
      if ((r.apiGroups ?? []).length > 0 || (r.resources ?? []).length > 0) errs.push({ path: `${p}.nonResourceURLs`, type: 'FieldValueInvalid', value: nonResource, detail: 'rules cannot apply to both regular resources and non-resource URLs' });
      return;
    }
    if (!r.apiGroups || r.apiGroups.length === 0) errs.push({ path: `${p}.apiGroups`, type: 'FieldValueRequired', detail: 'resource rules must supply at least one api group' });
    if (!r.resources || r.resources.length === 0) errs.push({ path: `${p}.resources`, type: 'FieldValueRequired', detail: 'resource rules must supply at least one resource' });
  });
  return errs;
}

interface Subject {
  kind?: string;
  apiGroup?: string;
  name?: string;
  namespace?: string;
}

interface RoleRef {
  apiGroup?: string;
  kind?: string;
  name?: string;
}

export function validateBinding(o: StoredObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = (o.roleRef ?? {}) as RoleRef;
  if (ref.apiGroup !== RBAC_GROUP) errs.push({ path: 'roleRef.apiGroup', type: 'FieldValueNotSupported', value: ref.apiGroup ?? '', detail: `supported values: "${RBAC_GROUP}"` });
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind ?? '')) errs.push({ path: 'roleRef.kind', type: 'FieldValueNotSupported', value: ref.kind ?? '', detail: `supported values: ${kinds.map((k) => `"${k}"`).join(', ')}` });
  if (!ref.name) errs.push({ path: 'roleRef.name', type: 'FieldValueRequired', detail: '' });
  ((o.subjects ?? []) as Subject[]).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!s.name) errs.push({ path: `${p}.name`, type: 'FieldValueRequired', detail: '' });
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) errs.push({ path: `${p}.apiGroup`, type: 'FieldValueNotSupported', value: s.apiGroup, detail: 'supported values: ""' });
        if (!namespaced && !s.namespace) errs.push({ path: `${p}.namespace`, type: 'FieldValueRequired', detail: '' });
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP) errs.push({ path: `${p}.apiGroup`, type: 'FieldValueNotSupported', value: s.apiGroup ?? '', detail: `supported values: "${RBAC_GROUP}"` });
        break;
      default:
        errs.push({ path: `${p}.kind`, type: 'FieldValueNotSupported', value: s.kind ?? '', detail: 'supported values: "ServiceAccount", "User", "Group"' });
    }
  });
  return errs;
}

export function validateRoleRefUnchanged(o: StoredObject, old: StoredObject): FieldError[] {
  if (JSON.stringify(o.roleRef ?? {}) === JSON.stringify(old.roleRef ?? {})) return [];
  return [{ path: 'roleRef', type: 'FieldValueInvalid', value: o.roleRef, detail: 'cannot change roleRef' }];
}

/** Fills subjects' apiGroup defaults (rbac/v1 defaults.go). */
export function defaultSubjects(o: StoredObject): void {
  for (const s of (o.subjects ?? []) as Subject[]) {
    if (s.apiGroup === undefined && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
  const ref = o.roleRef as RoleRef | undefined;
  if (ref && ref.apiGroup === undefined) ref.apiGroup = RBAC_GROUP;
}
