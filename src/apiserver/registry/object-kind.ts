// Checks that a body's apiVersion/kind fit the URL, and fills them in when absent
// (the decoder's defaulting GVK in k8s.io/apiserver handlers/create.go).
import { badRequest } from '../../apimachinery/status.ts';
import { groupVersion, type ResourceDefinition } from './resource.ts';

export function checkKind(obj: Record<string, unknown>, def: ResourceDefinition, expectKind = def.kind): void {
  const gv = groupVersion(def);
  const apiVersion = typeof obj.apiVersion === 'string' && obj.apiVersion !== '' ? obj.apiVersion : gv;
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : expectKind;
  if (apiVersion !== gv) {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${gv})`);
  }
  if (kind !== expectKind) {
    throw badRequest(`${kind} in version "${def.version}" cannot be handled as a ${expectKind}: the kind in the data (${kind}) does not match the expected kind (${expectKind})`);
  }
  obj.apiVersion = gv;
  obj.kind = kind;
}
