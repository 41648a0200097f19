import type { AuthResult } from './authenticator.ts';
import { ANONYMOUS_USER, SYSTEM_GROUPS } from './user.ts';

export function anonymousUser(): AuthResult {
  return { user: { name: ANONYMOUS_USER, groups: [SYSTEM_GROUPS.unauthenticated], extra: {} } };
}
