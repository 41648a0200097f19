// Authenticates every request; a failure is a 401 Status. After success the credential and
// every identity header (Authorization, X-Remote-*, configured names) are removed so
// nothing downstream, proxies included, sees them (aggregation.md §5.7).
import { unauthorized } from '../../apimachinery/status.ts';
import type { RequestAuthenticator } from '../authn/union.ts';
import { remoteHeaderStripper, type RequestHeaderConfig } from '../authn/request-header.ts';
import { withUser, type Handler } from '../request/context.ts';

export interface AuthenticationDeps {
  authenticate: RequestAuthenticator;
  /** The configured front-proxy header names, stripped too. */
  requestHeader?: Partial<Pick<RequestHeaderConfig, 'usernameHeaders' | 'uidHeaders' | 'groupHeaders' | 'extraHeaderPrefixes'>>;
  onFailure?: (err: Error) => void;
}

export function withAuthentication(next: Handler, deps: AuthenticationDeps): Handler {
  const stripRemoteHeaders = remoteHeaderStripper(deps.requestHeader);
  return async function authentication(req, res) {
    const result = await deps.authenticate(req);
    if (result instanceof Error) {
      deps.onFailure?.(result);
      throw unauthorized();
    }
    delete req.headers.authorization;
    stripRemoteHeaders(req.headers);
    withUser(req, result);
    await next(req, res);
  };
}
