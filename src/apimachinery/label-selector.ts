// Label selectors: the query-string form (`a=b,c!=d,e in (x,y),!f`) and the API object
// form (`{matchLabels, matchExpressions}`) (k8s.io/apimachinery pkg/labels).
import { badRequest } from './status.ts';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' };

export type Labels = Record<string, string> | undefined;

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

/** Parses the `labelSelector` query parameter; throws 400 on bad syntax. */
export function parseLabelSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  for (const term of splitTerms(text)) {
    const t = term.trim();
    if (t === '') continue;
    out.push(parseTerm(t, text));
  }
  return out;
}

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur);
      cur = '';
    } else cur += ch;
  }
  terms.push(cur);
  return terms;
}

function parseTerm(t: string, whole: string): Requirement {
  const bad = () => badRequest(`unable to parse requirement: found '${t}', expected: identifier in label selector "${whole}"`);
  let m = /^!\s*(\S+)$/.exec(t);
  if (m) return checkKey({ key: m[1], op: '!' }, bad);
  m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(t);
  if (m) return checkKey({ key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) }, bad);
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(t);
  if (m) return checkKey({ key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] }, bad);
  if (/^\S+$/.test(t)) return checkKey({ key: t, op: 'exists' }, bad);
  throw bad();
}

const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(r: Requirement, bad: () => Error): Requirement {
  if (!KEY.test(r.key)) throw bad();
  if ('values' in r && !r.values.every((v) => VALUE.test(v))) throw bad();
  return r;
}

export function matchesRequirements(reqs: Requirement[], labels: Labels): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
    }
  });
}

/** Converts a `metav1.LabelSelector` object; an empty selector matches everything. */
export function requirementsFromObject(sel: LabelSelectorObject): Requirement[] {
  const out: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) out.push({ key, op: 'in', values: [value] });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') out.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') out.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') out.push({ key: e.key, op: '!' });
  }
  return out;
}
