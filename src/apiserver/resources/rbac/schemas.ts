// OpenAPI schemas of rbac.authorization.k8s.io/v1.
import type { Schemas } from '../../../apimachinery/schema.ts';
import { arr, kind, obj, ref, str } from '../../openapi/dsl.ts';

export const RBAC = 'io.k8s.api.rbac.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const rules = arr(ref(`${RBAC}.PolicyRule`), 'Rules holds all the PolicyRules for this Role', { listType: 'atomic' });
const subjects = arr(ref(`${RBAC}.Subject`), 'Subjects holds references to the objects the role applies to.', { listType: 'atomic' });

export const RBAC_SCHEMAS: Schemas = {
  [`${RBAC}.PolicyRule`]: obj(
    {
      apiGroups: arr(str(), 'APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.', { listType: 'atomic' }),
      nonResourceURLs: arr(str(), 'NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path.', { listType: 'atomic' }),
      resourceNames: arr(str(), 'ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.', { listType: 'atomic' }),
      resources: arr(str(), "Resources is a list of resources this rule applies to. '*' represents all resources.", { listType: 'atomic' }),
      verbs: arr(str(), "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.", { listType: 'atomic' }),
    },
    'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
    ['verbs'],
  ),
  [`${RBAC}.Subject`]: {
    ...obj(
      {
        apiGroup: str('APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.'),
        kind: str('Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".'),
        name: str('Name of the object being referenced.'),
        namespace: str('Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.'),
      },
      'Subject contains a reference to the object or user identities a role binding applies to.',
      ['kind', 'name'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [`${RBAC}.RoleRef`]: {
    ...obj({ apiGroup: str('APIGroup is the group for the resource being referenced'), kind: str('Kind is the type of resource being referenced'), name: str('Name is the name of resource being referenced') }, 'RoleRef contains information that points to the role being used', ['apiGroup', 'kind', 'name']),
    'x-kubernetes-map-type': 'atomic',
  },
  [`${RBAC}.AggregationRule`]: obj(
    { clusterRoleSelectors: arr(ref(`${META}.LabelSelector`), "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added", { listType: 'atomic' }) },
    'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
  ),
  [`${RBAC}.Role`]: kind({ rules }, 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.'),
  [`${RBAC}.ClusterRole`]: kind(
    { aggregationRule: ref(`${RBAC}.AggregationRule`, 'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller.'), rules: arr(ref(`${RBAC}.PolicyRule`), 'Rules holds all the PolicyRules for this ClusterRole', { listType: 'atomic' }) },
    'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
  ),
  [`${RBAC}.RoleBinding`]: kind(
    { roleRef: ref(`${RBAC}.RoleRef`, 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.', { default: {} }), subjects },
    'RoleBinding references a role, but does not contain it.  It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.  RoleBindings in a given namespace only have effect in that namespace.',
    ['roleRef'],
  ),
  [`${RBAC}.ClusterRoleBinding`]: kind(
    { roleRef: ref(`${RBAC}.RoleRef`, 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.', { default: {} }), subjects },
    'ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
    ['roleRef'],
  ),
};
