// TokenRequest (`POST .../serviceaccounts/NAME/token`, `kubectl create token`, kubectl.md
// §8.3): defaults expirationSeconds to 3600 and audiences to the API audiences, refuses
// less than 10 minutes, checks the ServiceAccount and bound object, signs a bound token.
import { invalid, notFound, StatusError, type FieldError } from '../../apimachinery/status.ts';
import type { Action } from '../registry/action.ts';
import { issueServiceAccountToken, type ObjectLookup, type ServiceAccountSigner } from './service-account.ts';

const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
const BOUND_KINDS = { Pod: 'pods', Secret: 'secrets' } as const;

export interface TokenRequestDeps {
  signer?: ServiceAccountSigner;
  apiAudiences: readonly string[];
  lookup: ObjectLookup;
  /** --service-account-max-token-expiration, seconds; 0: no cap. */
  maxExpirationSeconds?: number;
  now?: () => Date;
}

const kind = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

export function createTokenRequestAction(deps: TokenRequestDeps): Action {
  return async function tokenRequest({ body, namespace, name }) {
    if (!deps.signer) throw new StatusError('NotFound', 'the server could not find the requested resource', {});
    const spec = { ...((body.spec ?? {}) as Record<string, unknown>) };
    const errs: FieldError[] = [];
    let seconds = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? 3600 : Number(spec.expirationSeconds);
    if (!Number.isInteger(seconds)) errs.push({ path: 'spec.expirationSeconds', type: 'FieldValueInvalid', value: spec.expirationSeconds, detail: 'must be an integer' });
    else if (seconds < MIN_SECONDS) errs.push({ path: 'spec.expirationSeconds', type: 'FieldValueInvalid', value: seconds, detail: 'may not specify a duration less than 10 minutes' });
    else if (seconds > MAX_SECONDS) errs.push({ path: 'spec.expirationSeconds', type: 'FieldValueTooLong', value: seconds, detail: 'may not specify a duration larger than 2^32 seconds' });
    const ref = (spec.boundObjectRef ?? undefined) as { kind?: string; name?: string; uid?: string; apiVersion?: string } | undefined;
    if (ref && !(ref.kind === 'Pod' || ref.kind === 'Secret')) errs.push({ path: 'spec.boundObjectRef.kind', type: 'FieldValueNotSupported', value: ref.kind ?? '', detail: 'supported values: "Pod", "Secret"' });
    if (errs.length > 0) throw invalid(kind, '', errs);
    if (deps.maxExpirationSeconds && seconds > deps.maxExpirationSeconds) seconds = deps.maxExpirationSeconds;

    const sa = await deps.lookup('serviceaccounts', namespace, name);
    if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
    let bound: { kind: 'Pod' | 'Secret'; ref: { name: string; uid: string } } | undefined;
    if (ref) {
      const k = ref.kind as 'Pod' | 'Secret';
      const obj = await deps.lookup(BOUND_KINDS[k], namespace, String(ref.name ?? ''));
      if (!obj) throw notFound({ group: '', resource: BOUND_KINDS[k] }, String(ref.name ?? ''));
      if (ref.uid && obj.metadata.uid !== ref.uid) {
        throw new StatusError('Conflict', `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`, { name: String(ref.name), kind: BOUND_KINDS[k] });
      }
      bound = { kind: k, ref: { name: String(obj.metadata.name), uid: String(obj.metadata.uid ?? '') } };
    }
    const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? (spec.audiences as string[]) : [...deps.apiAudiences];
    const { token, expiresAt } = await issueServiceAccountToken(deps.signer, {
      namespace,
      serviceAccount: { name, uid: String(sa.metadata.uid ?? '') },
      audiences,
      expirationSeconds: seconds,
      bound,
      now: deps.now?.(),
    });
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { ...((body.metadata as Record<string, unknown> | undefined) ?? {}), name, namespace, creationTimestamp: null },
      spec: { audiences, expirationSeconds: seconds, boundObjectRef: ref ?? null },
      status: { token, expirationTimestamp: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    };
  };
}
