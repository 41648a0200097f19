// The objects `kagg up` registers in kagg for the sample server: its namespace, RBAC for
// delegated authentication/authorization (as deploy/wardle does in a real cluster), the
// Service + Endpoints that point at the local process, and one APIService per version.
import type { KubeObject } from '../client/apply.ts';

export const WARDLE = {
  group: 'wardle.example.com',
  versions: [
    { version: 'v1beta1', versionPriority: 15 },
    { version: 'v1alpha1', versionPriority: 9 },
  ],
  namespace: 'wardle',
  service: 'api',
  user: 'system:serviceaccount:wardle:apiserver',
} as const;

export interface Registration {
  object: KubeObject;
  plural: string;
}

export function wardleRegistrations(options: { port: number; caBundlePem: string }): Registration[] {
  const { namespace, service, user } = WARDLE;
  const caBundle = Buffer.from(options.caBundlePem).toString('base64');
  return [
    { plural: 'namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } },
    {
      plural: 'clusterrolebindings',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
        metadata: { name: 'wardle:system:auth-delegator' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      },
    },
    {
      plural: 'rolebindings',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
        metadata: { name: 'wardle-auth-reader', namespace: 'kube-system' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      },
    },
    {
      plural: 'services',
      object: {
        apiVersion: 'v1', kind: 'Service', metadata: { name: service, namespace },
        spec: { ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: options.port }], selector: { apiserver: 'true' } },
      },
    },
    {
      plural: 'endpoints',
      object: {
        apiVersion: 'v1', kind: 'Endpoints', metadata: { name: service, namespace },
        subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: options.port, protocol: 'TCP' }] }],
      },
    },
    ...WARDLE.versions.map(({ version, versionPriority }) => ({
      plural: 'apiservices',
      object: {
        apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
        metadata: { name: `${version}.${WARDLE.group}` },
        spec: {
          group: WARDLE.group, version, groupPriorityMinimum: 1000, versionPriority,
          service: { namespace, name: service, port: 443 },
          caBundle,
        },
      },
    })),
  ];
}
