// The authenticated user (k8s.io/apiserver pkg/authentication/user).

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export const SYSTEM_GROUPS = {
  authenticated: 'system:authenticated',
  unauthenticated: 'system:unauthenticated',
  masters: 'system:masters',
  serviceAccounts: 'system:serviceaccounts',
} as const;

export const ANONYMOUS_USER = 'system:anonymous';

/**
 * An empty `extra` map. Extra keys come from clients (X-Remote-Extra-*, Impersonate-Extra-*),
 * so the map has no prototype: a key named `__proto__` or `constructor` is just a key.
 */
export function emptyExtra(): Record<string, string[]> {
  return Object.create(null) as Record<string, string[]>;
}
