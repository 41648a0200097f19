// POST to a computed resource or create-only subresource (TokenReview, SubjectAccessReview,
// serviceaccounts/token, ...): decode the body (JSON or protobuf), call the action, 201.
import { badRequest } from '../../apimachinery/status.ts';
import { audiencesOf } from '../request/context.ts';
import type { Action } from './action.ts';
import type { RestRequest } from './context.ts';
import { contentTypeOf, decodeObjectBody, readBody } from './decode-body.ts';
import { validateBodyFields } from './field-validation.ts';
import { respond } from './rest-common.ts';
import type { ActionSubresource } from './resource.ts';

export async function runAction(r: RestRequest, action: Action, sub?: ActionSubresource): Promise<void> {
  const body = decodeObjectBody(contentTypeOf(r.req), await readBody(r.req));
  const gv = sub ? (sub.group ? `${sub.group}/${sub.version}` : sub.version) : r.def.group ? `${r.def.group}/${r.def.version}` : r.def.version;
  const kind = sub ? sub.kind : r.def.kind;
  const apiVersion = typeof body.apiVersion === 'string' && body.apiVersion ? body.apiVersion : gv;
  const bodyKind = typeof body.kind === 'string' && body.kind ? body.kind : kind;
  if (apiVersion !== gv || bodyKind !== kind) {
    throw badRequest(`${bodyKind} in version "${apiVersion}" cannot be handled as a ${kind}: the kind in the data does not match the expected ${gv}, Kind=${kind}`);
  }
  body.apiVersion = gv;
  body.kind = kind;
  if (!sub) validateBodyFields(r, body, kind);
  const result = await action({ user: r.user, namespace: r.namespace, name: sub ? r.name : '', body, audiences: audiencesOf(r.req), signal: r.signal });
  respond(r, 201, { apiVersion: gv, kind, ...result });
}
