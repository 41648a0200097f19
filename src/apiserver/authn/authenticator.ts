import type { IncomingMessage } from 'node:http';
import type { UserInfo } from './user.ts';

/** What an authenticator found: the user, and the audiences the credential was valid for. */
export interface AuthResult {
  user: UserInfo;
  audiences?: string[];
}

/**
 * An authenticator answers a user, `null` for "not mine" (no credential of its kind), or
 * an Error when a credential of its kind is present and invalid.
 */
export type Authenticator = (req: IncomingMessage) => Promise<AuthResult | null | Error>;

/** Token authenticators see only the bearer token. */
export type TokenAuthenticator = (token: string, audiences?: string[]) => Promise<AuthResult | null | Error>;
