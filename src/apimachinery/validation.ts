// Name and metadata validation with apimachinery's wording
// (pkg/util/validation, pkg/api/validation/objectmeta.go).
import type { FieldError } from './status.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const NAME_RULES = {
  subdomain: { re: DNS1123_SUBDOMAIN, max: 253, msg: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
  label: { re: DNS1123_LABEL, max: 63, msg: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
  dns1035: { re: DNS1035_LABEL, max: 63, msg: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')" },
  path: { re: /^(?!\.{1,2}$)[^/%]+$/, max: Number.MAX_SAFE_INTEGER, msg: 'may not contain \'/\' or \'%\' and may not be \'.\' or \'..\'' },
} as const;

export type NameRule = keyof typeof NAME_RULES;

export function validateName(name: string, rule: NameRule, path = 'metadata.name'): FieldError[] {
  const r = NAME_RULES[rule];
  const errs: FieldError[] = [];
  if (name.length > r.max) errs.push({ path, type: 'FieldValueInvalid', value: name, detail: `must be no more than ${r.max} characters` });
  if (!r.re.test(name)) errs.push({ path, type: 'FieldValueInvalid', value: name, detail: r.msg });
  return errs;
}

export function validateConfigKey(key: string, path: string): FieldError[] {
  if (key.length > 253) return [{ path, type: 'FieldValueInvalid', value: key, detail: 'must be no more than 253 characters' }];
  if (!CONFIG_KEY.test(key)) return [{ path, type: 'FieldValueInvalid', value: key, detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" }];
  return [];
}

/** Label and annotation keys are qualified names with an optional DNS subdomain prefix. */
export function validateQualifiedName(key: string, path: string): FieldError[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const ok = name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name) && (slash < 0 || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix)));
  if (ok) return [];
  return [{ path, type: 'FieldValueInvalid', value: key, detail: "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" }];
}

export function validateLabels(labels: unknown, path = 'metadata.labels'): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object') return [{ path, type: 'FieldValueTypeInvalid', detail: 'must be a map of strings' }];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateQualifiedName(k, path));
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      errs.push({ path: `${path}`, type: 'FieldValueInvalid', value: v, detail: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" });
    }
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path = 'metadata.annotations'): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object') return [{ path, type: 'FieldValueTypeInvalid', detail: 'must be a map of strings' }];
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...validateQualifiedName(k.toLowerCase(), path));
    total += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (total > 256 * 1024) errs.push({ path, type: 'FieldValueTooLong', detail: 'may not have more than 262144 bytes' });
  return errs;
}
