// APIService validation (kube-aggregator pkg/apis/apiregistration/validation/validation.go,
// spec 1.4). Returns every error with its field path; the registry builds the 422 from it.
import type { FieldError } from '../../apimachinery/status.ts';
import type { APIService } from './types.ts';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** apimachinery IsDNS1123Subdomain. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(DNS1123_SUBDOMAIN_MESSAGE);
  return errs;
}

/** apimachinery IsDNS1035Label. */
export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) errs.push(DNS1035_LABEL_MESSAGE);
  return errs;
}

/** apimachinery path.IsValidPathSegmentName. */
export function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

const invalidField = (path: string, value: unknown, detail: string): FieldError => ({ path, type: 'FieldValueInvalid', value, detail });
const requiredField = (path: string, detail = ''): FieldError => ({ path, type: 'FieldValueRequired', detail });

export interface ValidateOptions {
  /** The caller already checked that the name is set and a path segment (the registry does). */
  genericNameChecked?: boolean;
}

function metadataErrors(svc: APIService, opts: ValidateOptions): FieldError[] {
  const name = svc.metadata?.name ?? '';
  if (!name) {
    if (opts.genericNameChecked) return [];
    return svc.metadata?.generateName ? [] : [requiredField('metadata.name', 'name or generateName is required')];
  }
  const required = `${svc.spec?.version ?? ''}.${svc.spec?.group ?? ''}`;
  const segment = pathSegmentNameErrors(name);
  if (segment.length > 0) return opts.genericNameChecked ? [] : segment.map((m) => invalidField('metadata.name', name, m));
  if (name !== required) return [invalidField('metadata.name', name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(required)}`)];
  return [];
}

/** Create and update validation (spec 1.4 rules 1–11). */
export function validateAPIService(svc: APIService, opts: ValidateOptions = {}): FieldError[] {
  const errs = metadataErrors(svc, opts);
  const spec = svc.spec ?? { groupPriorityMinimum: 0, versionPriority: 0 };
  const group = spec.group ?? '';
  const version = spec.version ?? '';
  if (group === '' && version !== 'v1') {
    errs.push(requiredField('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  }
  if (group !== '') for (const m of dns1123SubdomainErrors(group)) errs.push(invalidField('spec.group', group, m));
  for (const m of dns1035LabelErrors(version)) errs.push(invalidField('spec.version', version, m));

  const gpm = spec.groupPriorityMinimum ?? 0;
  if (!(gpm > 0 && gpm <= 20000)) errs.push(invalidField('spec.groupPriorityMinimum', gpm, 'must be positive and less than 20000'));
  const vp = spec.versionPriority ?? 0;
  if (!(vp > 0 && vp <= 1000)) errs.push(invalidField('spec.versionPriority', vp, 'must be positive and less than 1000'));

  const caBundleLength = spec.caBundle ? Buffer.from(spec.caBundle, 'base64').length : 0;
  if (spec.service === undefined || spec.service === null) {
    if (caBundleLength > 0) errs.push(invalidField('spec.caBundle', `${caBundleLength} bytes`, 'local APIServices may not have a caBundle'));
    if (spec.insecureSkipTLSVerify) errs.push(invalidField('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'));
    return errs;
  }
  if (!spec.service.namespace) errs.push(requiredField('spec.service.namespace'));
  if (!spec.service.name) errs.push(requiredField('spec.service.name'));
  const port = spec.service.port ?? 0;
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    errs.push(invalidField('spec.service.port', port, 'port is not valid: must be between 1 and 65535, inclusive'));
  }
  if (spec.insecureSkipTLSVerify && caBundleLength > 0) {
    errs.push(invalidField('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  }
  return errs;
}

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];

/** Status update validation (spec 1.4 rule 12): only condition status values are checked. */
export function validateAPIServiceStatus(svc: APIService): FieldError[] {
  const errs: FieldError[] = [];
  (svc.status?.conditions ?? []).forEach((c, i) => {
    if (!CONDITION_STATUSES.includes(c.status)) {
      errs.push({
        path: `status.conditions[${i}].status`,
        type: 'FieldValueNotSupported',
        value: c.status,
        detail: `supported values: ${CONDITION_STATUSES.map((s) => JSON.stringify(s)).join(', ')}`,
      });
    }
  });
  return errs;
}
