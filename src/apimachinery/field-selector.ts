// Field selectors (`metadata.name=x,metadata.namespace!=y`), k8s.io/apimachinery pkg/fields.
// Each resource says which fields it supports; others are a 400 like upstream.
import { badRequest } from './status.ts';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const term of text.split(',')) {
    const t = term.trim();
    if (t === '') continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(t);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${t}'`);
    out.push({ field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return out;
}

/** Throws 400 for a field the resource cannot select on (upstream wording). */
export function checkSupportedFields(reqs: FieldRequirement[], supported: ReadonlySet<string>): void {
  for (const r of reqs) {
    if (!supported.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
}

export function matchesFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '='));
}
