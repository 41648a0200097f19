// PATCH (k8s.io/apiserver handlers/patch.go): JSON patch, JSON merge patch, strategic
// merge patch (schema-driven) and server-side apply. A no-op keeps the resourceVersion.
import { MEDIA, PATCH_TYPES, type PatchType } from '../../apimachinery/media-types.ts';
import { jsonMergePatch, isPlainObject } from '../../apimachinery/json-merge-patch.ts';
import { jsonPatch } from '../../apimachinery/json-patch.ts';
import { REF_PREFIX } from '../../apimachinery/schema.ts';
import { strategicMergePatch } from '../../apimachinery/strategic-merge-patch.ts';
import { badRequest, unsupportedMediaType } from '../../apimachinery/status.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { contentTypeOf, parseStructured, readBody } from './decode-body.ts';
import { validatePatchedFields } from './field-validation.ts';
import { checkKind } from './object-kind.ts';
import { metadataOf } from './object-meta.ts';
import { applyPatch } from './rest-apply.ts';
import { isDryRun, keyOf, respond, storage } from './rest-common.ts';
import { finishUpdate, prepareUpdate } from './update-object.ts';

const NON_STRATEGIC = [MEDIA.jsonPatch, MEDIA.mergePatch, MEDIA.applyPatch];

export async function patchObject(r: RestRequest): Promise<void> {
  const type = contentTypeOf(r.req);
  if (!(PATCH_TYPES as readonly string[]).includes(type)) throw unsupportedMediaType(type, [...PATCH_TYPES]);
  if (type === MEDIA.strategicMergePatch && r.def.strategicMerge === false) throw unsupportedMediaType(type, NON_STRATEGIC);
  const text = (await readBody(r.req)).toString('utf8');
  if (type === MEDIA.applyPatch) return applyPatch(r, text);
  const patch = parseStructured(text, false);
  const key = keyOf(r, r.name);
  const run = async (current: StoredObject) => prepareUpdate(r, patched(r, type as PatchType, current, patch, text), current);
  if (isDryRun(r.query)) {
    const current = await storage(r, r.name, () => r.registry.store.get(key));
    respond(r, 200, (await run(current)) ?? current);
    return;
  }
  const updated = await storage(r, r.name, () =>
    r.registry.store.guaranteedUpdate(key, async (current) => {
      if (!current) throw new Error('guaranteedUpdate without an object');
      return run(current);
    }),
  );
  respond(r, 200, await finishUpdate(r, updated));
}

function patched(r: RestRequest, type: PatchType, current: StoredObject, patch: unknown, text: string): StoredObject {
  let out: unknown;
  if (type === MEDIA.jsonPatch) out = jsonPatch(current, patch);
  else if (!isPlainObject(patch)) throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
  else if (type === MEDIA.mergePatch) out = jsonMergePatch(current, patch);
  else out = strategicMergePatch(current, patch, r.registry.schemas, r.def.schemaName ? { $ref: `${REF_PREFIX}${r.def.schemaName}` } : undefined);
  if (!isPlainObject(out)) throw badRequest('the patch did not produce an object');
  checkKind(out, r.def);
  validatePatchedFields(r, out, text);
  const meta = metadataOf(out);
  // A resourceVersion in the patch is a precondition (checked in prepareUpdate); an unchanged one is not.
  if (meta.resourceVersion === current.metadata.resourceVersion) delete meta.resourceVersion;
  return out as StoredObject;
}
