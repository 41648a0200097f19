// Server-side field validation, `fieldValidation=Strict|Warn|Ignore` (kubectl.md §5.6).
import { duplicateFields } from '../../apimachinery/duplicate-fields.ts';
import { unknownFields } from '../../apimachinery/unknown-fields.ts';
import { REF_PREFIX } from '../../apimachinery/schema.ts';
import { badRequest, invalid } from '../../apimachinery/status.ts';
import type { RestRequest } from './context.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '' || v === 'Ignore') return 'Ignore';
  if (v === 'Strict' || v === 'Warn') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
}

function findUnknown(r: RestRequest, obj: Record<string, unknown>): string[] {
  if (!r.def.schemaName) return [];
  return unknownFields(obj, r.registry.schemas, { $ref: `${REF_PREFIX}${r.def.schemaName}` }, true);
}

/**
 * For create/update bodies: Strict ⇒ 400, Warn ⇒ warnings; unknown fields are dropped.
 * `jsonText` (JSON bodies only) is scanned for duplicate keys.
 */
export function validateBodyFields(r: RestRequest, obj: Record<string, unknown>, kind = r.def.kind, jsonText?: string): void {
  const mode = fieldValidationOf(r.query);
  const unknown = findUnknown(r, obj);
  const duplicates = mode !== 'Ignore' && jsonText !== undefined ? duplicateFields(jsonText) : [];
  if ((unknown.length === 0 && duplicates.length === 0) || mode === 'Ignore') return;
  const texts = [...duplicates.map((f) => `duplicate field "${f}"`), ...unknown.map((f) => `unknown field "${f}"`)];
  if (mode === 'Warn') {
    r.warnings.push(...texts);
    return;
  }
  throw badRequest(`${kind} in version "${r.def.version}" cannot be handled as a ${kind}: strict decoding error: ${texts.join(', ')}`);
}

/** For patched objects: Strict ⇒ 422 on field `patch`, Warn ⇒ warnings. */
export function validatePatchedFields(r: RestRequest, obj: Record<string, unknown>, patchText: string): void {
  const mode = fieldValidationOf(r.query);
  const unknown = findUnknown(r, obj);
  if (unknown.length === 0 || mode === 'Ignore') return;
  const texts = unknown.map((f) => `unknown field "${f}"`);
  if (mode === 'Warn') {
    r.warnings.push(...texts);
    return;
  }
  throw invalid({ group: r.def.group, kind: r.def.kind }, r.name, [{ path: 'patch', type: 'FieldValueInvalid', value: patchText, detail: `strict decoding error: ${texts.join(', ')}` }]);
}
