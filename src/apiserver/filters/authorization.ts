// Authorizes every request against the (possibly impersonated) user; anything but allow
// is a 403 in the upstream wording.
import { attributesOf } from '../authz/attributes.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import { forbiddenError } from '../authz/forbidden.ts';
import { requestInfoOf, userOf, type Handler } from '../request/context.ts';

export function withAuthorization(next: Handler, deps: { authorize: Authorizer }): Handler {
  return function authorization(req, res) {
    const user = userOf(req);
    const info = requestInfoOf(req);
    if (!user || !info) throw new Error('authorization filter ran before authentication or request info');
    const attrs = attributesOf(user, info);
    const decision = deps.authorize(attrs);
    if (decision instanceof Promise) {
      return decision.then((d) => {
        if (d.decision !== 'allow') throw forbiddenError(attrs, d.reason);
        return next(req, res);
      });
    }
    if (decision.decision !== 'allow') throw forbiddenError(attrs, decision.reason);
    return next(req, res);
  };
}
