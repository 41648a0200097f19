// Validation of a whole object: metadata plus the resource's own rules → 422 Invalid.
import { invalid, type FieldError } from '../../apimachinery/status.ts';
import type { StoredObject } from '../../storage/interface.ts';
import { validateObjectMeta } from './object-meta.ts';
import type { ResourceDefinition } from './resource.ts';

export function validateCreate(def: ResourceDefinition, obj: StoredObject): void {
  const errs: FieldError[] = [...validateObjectMeta(obj, def.nameValidation ?? 'subdomain'), ...(def.strategy?.validate?.(obj) ?? [])];
  if (errs.length > 0) throw invalid({ group: def.group, kind: def.kind }, obj.metadata.name ?? '', errs);
}

export function validateUpdate(def: ResourceDefinition, obj: StoredObject, old: StoredObject): void {
  const s = def.strategy;
  const own = s?.validateUpdate ? s.validateUpdate(obj, old) : (s?.validate?.(obj) ?? []);
  const errs: FieldError[] = [...validateObjectMeta(obj, def.nameValidation ?? 'subdomain'), ...own];
  if (errs.length > 0) throw invalid({ group: def.group, kind: def.kind }, obj.metadata.name ?? '', errs);
}
