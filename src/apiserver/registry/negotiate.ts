// Chooses the response form from Accept: the object/list, a Table, or PartialObjectMetadata
// (kubectl.md §3.2). Never 406 when plain JSON is acceptable.
import { notAcceptable } from './errors.ts';
import { parseAccept } from '../../apimachinery/media-types.ts';
import { INCLUDE_OBJECT, type IncludeObject } from '../../apimachinery/table.ts';
import { badRequest } from '../../apimachinery/status.ts';

export type Output =
  | { form: 'object' }
  | { form: 'table'; apiVersion: string; include: IncludeObject }
  | { form: 'metadata'; apiVersion: string };

const JSONISH = new Set(['application/json', '*/*', 'application/*', 'application/vnd.kubernetes.protobuf']);

export function negotiateOutput(accept: string | undefined, query: URLSearchParams): Output {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { form: 'object' };
  for (const r of ranges) {
    if (!JSONISH.has(r.type)) continue;
    const as = r.params.as;
    if (!as) {
      if (r.type === 'application/vnd.kubernetes.protobuf') continue;
      return { form: 'object' };
    }
    const g = r.params.g ?? '';
    const v = r.params.v ?? '';
    if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
    if (as === 'Table') return { form: 'table', apiVersion: `meta.k8s.io/${v}`, include: includeObjectOf(query) };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { form: 'metadata', apiVersion: `meta.k8s.io/${v}` };
  }
  throw notAcceptable();
}

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if ((INCLUDE_OBJECT as readonly string[]).includes(v)) return v as IncludeObject;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}
