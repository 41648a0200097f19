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
 * Appends values to `extra[key]`. Extra keys come from clients (X-Remote-Extra-*,
 * Impersonate-Extra-*), so a key named `__proto__` or `constructor` must become an own
 * property, never touch the prototype.
 */
export function addExtra(extra: Record<string, string[]>, key: string, values: readonly string[]): void {
  if (!Object.hasOwn(extra, key)) Object.defineProperty(extra, key, { value: [], enumerable: true, writable: true, configurable: true });
  extra[key].push(...values);
}
