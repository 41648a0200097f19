// Resources that are not stored but computed on create (TokenReview, SubjectAccessReview,
// SelfSubjectReview, ...) and create-only subresources (serviceaccounts/token). The
// registry decodes the body (JSON or protobuf), calls the action, and encodes the result.
import type { UserInfo } from '../authn/user.ts';

export interface ActionContext {
  /** The requesting user, after impersonation. */
  user: UserInfo;
  /** From the URL, '' for cluster-scoped. */
  namespace: string;
  /** The parent object's name for subresources (`serviceaccounts/NAME/token`), else ''. */
  name: string;
  /** The decoded request object. */
  body: Record<string, unknown>;
  /** Audiences of the credential the request authenticated with (TokenReview defaults). */
  audiences?: string[];
  signal?: AbortSignal;
}

/** Returns the response object (with `status` filled in); throws StatusError on failure. */
export type Action = (ctx: ActionContext) => Promise<Record<string, unknown>>;
