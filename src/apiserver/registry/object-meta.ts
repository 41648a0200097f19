// Server-owned metadata on create and update, and the metadata checks every object gets
// (k8s.io/apiserver rest.BeforeCreate / BeforeUpdate, objectmeta validation).
import { randomBytes } from 'node:crypto';
import { validateAnnotations, validateLabels, validateName, type NameRule } from '../../apimachinery/validation.ts';
import type { FieldError } from '../../apimachinery/status.ts';
import type { ObjectMeta, StoredObject } from '../../storage/interface.ts';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName + 5 random characters, like names.SimpleNameGenerator. */
export function generateName(base: string): string {
  const trimmed = base.length > 58 ? base.slice(0, 58) : base;
  const bytes = randomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += GENERATE_ALPHABET[b % GENERATE_ALPHABET.length];
  return `${trimmed}${suffix}`;
}

export function metadataOf(obj: Record<string, unknown>): ObjectMeta {
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) obj.metadata = {};
  return obj.metadata as ObjectMeta;
}

const OMIT_EMPTY = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields', 'generateName'];

/** Drops empty metadata collections, as Go's omitempty does on the way back out. */
export function omitEmptyMeta(meta: ObjectMeta): void {
  for (const k of OMIT_EMPTY) {
    const v = meta[k];
    if (v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)) delete meta[k];
  }
}

/** Clears what clients may not set on create and fills uid and creationTimestamp. */
export function prepareCreateMeta(meta: ObjectMeta, now: string, uid: string): void {
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  delete meta.managedFields;
  meta.uid = uid;
  meta.creationTimestamp = now;
  omitEmptyMeta(meta);
}

/** Keeps the fields clients may not change on update. */
export function prepareUpdateMeta(meta: ObjectMeta, old: ObjectMeta): void {
  meta.name = old.name;
  if (old.namespace !== undefined) meta.namespace = old.namespace;
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  meta.resourceVersion = old.resourceVersion;
  if (old.deletionTimestamp !== undefined) meta.deletionTimestamp = old.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (old.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (old.managedFields !== undefined && meta.managedFields === undefined) meta.managedFields = old.managedFields;
  omitEmptyMeta(meta);
}

export function validateObjectMeta(obj: StoredObject, rule: NameRule): FieldError[] {
  const meta = obj.metadata;
  const errs: FieldError[] = [];
  if (!meta.name) errs.push({ path: 'metadata.name', type: 'FieldValueRequired', detail: 'name or generateName is required' });
  else errs.push(...validateName(meta.name, rule));
  errs.push(...validateLabels(meta.labels));
  errs.push(...validateAnnotations(meta.annotations));
  if (meta.finalizers !== undefined && !Array.isArray(meta.finalizers)) errs.push({ path: 'metadata.finalizers', type: 'FieldValueTypeInvalid', detail: 'must be a list of strings' });
  return errs;
}
