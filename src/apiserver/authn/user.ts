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
